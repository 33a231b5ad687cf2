#include "api/TcpNoDelay.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>
#endif

namespace cdesk {

void setTcpNoDelayOnProcessSockets()
{
#ifdef Q_OS_LINUX
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return;
    const int own = ::dirfd(dir);
    while (const dirent *entry = ::readdir(dir)) {
        char *end = nullptr;
        const long fd = std::strtol(entry->d_name, &end, 10);
        if (end == entry->d_name || *end != '\0' || fd == own)
            continue;
        int value = 0;
        socklen_t size = sizeof value;
        // TCP only: a stream socket of the Internet families.
        if (::getsockopt(int(fd), SOL_SOCKET, SO_TYPE, &value, &size) != 0 || value != SOCK_STREAM)
            continue;
        size = sizeof value;
        if (::getsockopt(int(fd), SOL_SOCKET, SO_DOMAIN, &value, &size) != 0
            || (value != AF_INET && value != AF_INET6))
            continue;
        size = sizeof value;
        if (::getsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &value, &size) == 0 && value == 0) {
            const int on = 1;
            ::setsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        }
    }
    ::closedir(dir);
#endif
}

} // namespace cdesk
