// SPDX-License-Identifier: Apache-2.0
#include "keychainprocessstore.h"

#include "credentials/credentialslog.h"
#include "credentials/keychainhelper.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
QString runningExecutable()
{
#ifdef Q_OS_LINUX
    // The image this process started from, even after a package upgrade replaced or removed
    // its file: the path would start the new version (whose helper may answer otherwise) or
    // nothing at all.
    const QString image = u"/proc/self/exe"_s;
    if (QFileInfo::exists(image))
        return image;
#endif
    return QCoreApplication::applicationFilePath();
}
} // namespace

KeychainProcessStore::KeychainProcessStore(QObject *parent)
    : KeychainProcessStore(runningExecutable(), {QString::fromLatin1(KeychainHelper::Option)},
                           parent)
{
}

KeychainProcessStore::KeychainProcessStore(QString program, QStringList arguments, QObject *parent)
    : TokenStore(parent), m_program(std::move(program)), m_arguments(std::move(arguments))
{
}

TokenStore *KeychainProcessStore::createForPlatform()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    return new KeychainProcessStore;
#else
    return new TokenStore;
#endif
}

void KeychainProcessStore::read(const QString &account, Callback done)
{
    run(u"read"_s, account, {}, std::move(done));
}

void KeychainProcessStore::write(const QString &account, const QString &token, Callback done)
{
    run(u"write"_s, account, token.toUtf8(), std::move(done));
}

void KeychainProcessStore::remove(const QString &account, Callback done)
{
    run(u"remove"_s, account, {}, std::move(done));
}

void KeychainProcessStore::run(const QString &operation, const QString &account,
                               const QByteArray &input, Callback done)
{
    // Owned by the store: destroying the store kills the helper and so drops done.
    auto *process = new QProcess(this);
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    // Both signals may come for one failure (a crash is an error and then finished): the first
    // one answers.
    auto answer = [process, operation, account,
                   done = std::make_shared<Callback>(std::move(done))](const Result &result) {
        if (!*done)
            return;
        qCInfo(lcCredentials) << "keychain helper" << operation << account << "status"
                              << int(result.status);
        const Callback callback = std::exchange(*done, nullptr);
        process->deleteLater();
        callback(result);
    };
    connect(process, &QProcess::finished, this, [process, answer](int, QProcess::ExitStatus) {
        answer(KeychainHelper::decode(process->readAllStandardOutput()));
    });
    connect(
        process, &QProcess::errorOccurred, this, [this, process, answer](QProcess::ProcessError e) {
            if (e != QProcess::FailedToStart)
                return;
            // Queued: QProcess reports some failures during start(), and the caller must
            // not hear back before the call returns.
            const Result failed{
                Status::Failed, {}, u"cannot run the keychain helper: "_s + process->errorString()};
            QMetaObject::invokeMethod(
                this, [answer, failed] { answer(failed); }, Qt::QueuedConnection);
        });
    process->start(m_program, m_arguments + QStringList{operation, account});
    if (!input.isEmpty())
        process->write(input);
    process->closeWriteChannel();
}

} // namespace herald::client
