// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "credentials/tokenstore.h"

#include <QStringList>

namespace herald::client {

// A TokenStore whose every operation runs in a child process: `program arguments... OPERATION
// ACCOUNT`, by default this executable's `--keychain-helper` (KeychainHelper), which does it
// through QtKeychain. The tray keeps no keychain library resident (see keychainhelper.h for why);
// the price is a process start (tens of milliseconds) per operation, which happen at start and
// at setup. The token travels through pipes only; the helper's stderr goes to ours.
// Same contract as TokenStore: done is called once, in the GUI thread, from the event loop, and
// not at all when the store is destroyed first (which kills a helper still running).
class KeychainProcessStore : public TokenStore
{
    Q_OBJECT

public:
    // program and arguments are what tests replace; the default is this process's own
    // executable: /proc/self/exe where there is one (it outlives an upgrade of the file), else
    // the application's file path.
    explicit KeychainProcessStore(QObject *parent = nullptr);
    KeychainProcessStore(QString program, QStringList arguments, QObject *parent = nullptr);

    // The store for this platform: a KeychainProcessStore where QtKeychain's backend is
    // libsecret (Linux and the BSDs), the in-process TokenStore elsewhere (its backends there
    // are system APIs the process links anyway).
    static TokenStore *createForPlatform();

    void read(const QString &account, Callback done) override;
    void write(const QString &account, const QString &token, Callback done) override;
    void remove(const QString &account, Callback done) override;

private:
    void run(const QString &operation, const QString &account, const QByteArray &input,
             Callback done);

    QString m_program;
    QStringList m_arguments;
};

} // namespace herald::client
