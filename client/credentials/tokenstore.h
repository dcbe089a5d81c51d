// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace herald::client {

// The token in the system keychain (Secret Service on Linux, Credential Manager on Windows,
// Keychain on macOS) through QtKeychain. Never in a file: QtKeychain's plain-text fallback is
// off. When no keychain works the caller says so and asks for the token at each start.
// Every call is asynchronous; callbacks run in the GUI thread, never after this is destroyed.
class TokenStore : public QObject
{
    Q_OBJECT

public:
    enum class Status
    {
        Ok,
        NotFound,   // the keychain works, but holds no token for this account
        NoKeychain, // no keychain service, or it refused us
        Failed,     // anything else; see message
    };
    struct Result
    {
        Status status = Status::Failed;
        QString token;   // with Ok from read()
        QString message; // for the user when not Ok
    };
    using Callback = std::function<void(const Result &)>;

    explicit TokenStore(QObject *parent = nullptr);

    // The keychain entry for a user on a server: "alice@http://host:8080".
    static QString account(const QString &user, const QString &server);

    // Virtual so that unit tests can stand in for the keychain. Each calls done once, in the
    // GUI thread, normally later from the event loop; not at all when the store is destroyed
    // first.

    // The token of account: Ok with the token, NotFound, NoKeychain or Failed.
    virtual void read(const QString &account, Callback done);
    // Stores (replaces) the token of account.
    virtual void write(const QString &account, const QString &token, Callback done);
    // Deletes the token of account.
    virtual void remove(const QString &account, Callback done);

private:
    static Result resultOf(int error, const QString &message);
};

} // namespace herald::client
