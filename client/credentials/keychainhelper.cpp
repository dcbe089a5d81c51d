// SPDX-License-Identifier: Apache-2.0
#include "keychainhelper.h"

#include "credentials/credentialslog.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace herald::client::KeychainHelper {

namespace {
struct StatusName
{
    TokenStore::Status status;
    QByteArrayView name;
};
constexpr StatusName StatusNames[] = {
    {TokenStore::Status::Ok, "ok"},
    {TokenStore::Status::NotFound, "not-found"},
    {TokenStore::Status::NoKeychain, "no-keychain"},
    {TokenStore::Status::Failed, "failed"},
};

void reply(const TokenStore::Result &result)
{
    const QByteArray text = encode(result);
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}
} // namespace

bool isRequested(int argc, char **argv)
{
    return argc > 1 && std::strcmp(argv[1], Option) == 0;
}

int run(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // Started as /proc/self/exe, it would take "exe" for its name, which keychains may show.
    QCoreApplication::setApplicationName(u"herald"_s);
    const QStringList args = QCoreApplication::arguments();
    const QString operation = args.value(2);
    const QString account = args.value(3);
    if (args.size() != 4 || account.isEmpty() ||
        !(operation == "read"_L1 || operation == "write"_L1 || operation == "remove"_L1)) {
        std::fputs("usage: herald --keychain-helper read|write|remove ACCOUNT\n", stderr);
        return 2;
    }

    TokenStore store;
    auto done = [](const TokenStore::Result &result) {
        reply(result);
        QCoreApplication::exit(0);
    };
    if (operation == "read"_L1) {
        store.read(account, done);
    } else if (operation == "remove"_L1) {
        store.remove(account, done);
    } else {
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly)) {
            reply({TokenStore::Status::Failed, {}, u"cannot read the token from stdin"_s});
            return 0;
        }
        store.write(account, QString::fromUtf8(in.readAll()), done);
    }
    return QCoreApplication::exec();
}

QByteArray encode(const TokenStore::Result &result)
{
    QByteArray status = "failed";
    for (const StatusName &entry : StatusNames) {
        if (entry.status == result.status)
            status = entry.name.toByteArray();
    }
    const QString &text = result.status == TokenStore::Status::Ok ? result.token : result.message;
    return status + '\n' + text.toUtf8().toPercentEncoding() + '\n';
}

TokenStore::Result decode(const QByteArray &reply)
{
    const QList<QByteArray> lines = reply.split('\n');
    // Two lines, each ended by '\n': three parts, the last one empty.
    if (lines.size() != 3 || !lines.at(2).isEmpty())
        return {TokenStore::Status::Failed, {}, u"the keychain helper gave no answer"_s};
    const QString text = QString::fromUtf8(QByteArray::fromPercentEncoding(lines.at(1)));
    for (const StatusName &entry : StatusNames) {
        if (entry.name == lines.at(0)) {
            if (entry.status == TokenStore::Status::Ok)
                return {entry.status, text, {}};
            return {entry.status, {}, text};
        }
    }
    qCWarning(lcCredentials) << "keychain helper: unknown status" << lines.at(0);
    return {TokenStore::Status::Failed, {}, u"the keychain helper gave an unknown answer"_s};
}

} // namespace herald::client::KeychainHelper
