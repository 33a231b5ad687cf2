#pragma once

#include "settings/TokenBackend.h"

namespace cdesk {

// The system keychain through QtKeychain: the Secret Service (GNOME Keyring,
// KWallet 5.97+, KeePassXC) on Linux, Keychain on macOS, the Credential
// Manager on Windows. Entries live under the service "candidate-desk", one
// key per account, as text so `secret-tool` and Seahorse show them plainly.
//
// QtKeychain's headers stay in the .cpp: the library is linked privately.
class KeychainBackend final : public TokenBackend
{
    Q_OBJECT
public:
    using TokenBackend::TokenBackend;

    static QString serviceName();

    void read(const QString &account, Done done) override;
    void write(const QString &account, const QByteArray &token, Done done) override;
    void remove(const QString &account, Done done) override;
};

} // namespace cdesk
