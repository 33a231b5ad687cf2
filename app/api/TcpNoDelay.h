#pragma once

namespace cdesk {

// Qt's HTTP client leaves Nagle's algorithm on (QHttpNetworkConnectionChannel
// has the TCP_NODELAY line commented out, Qt 6.4 to 6.8), and offers no way
// to reach its sockets. On a kept-alive connection an upload's last, partial
// segment then waits for the server's delayed ACK: 40 ms per request on
// Linux, measured as 23 creates a second with a 100 KB resume where 125 were
// possible (bench_import --concurrency 1). Browsers and curl turn Nagle off;
// this does the same for the process's TCP sockets: it finds them in
// /proc/self/fd and sets TCP_NODELAY on those that lack it (which also pushes
// out a segment Nagle is holding). Cheap (one getsockopt per descriptor);
// Linux only, a no-op elsewhere. Call it once a request is on its socket
// (QNetworkReply::requestSent).
void setTcpNoDelayOnProcessSockets();

} // namespace cdesk
