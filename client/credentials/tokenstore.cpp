// SPDX-License-Identifier: Apache-2.0
#include "tokenstore.h"

#include "credentials/credentialslog.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
const QString KeychainService = u"herald"_s;

template <typename Job> Job *makeJob(QObject *parent, const QString &account)
{
    auto *job = new Job(KeychainService, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    return job;
}
} // namespace

TokenStore::TokenStore(QObject *parent) : QObject(parent) {}

QString TokenStore::account(const QString &user, const QString &server)
{
    return user + u'@' + server;
}

void TokenStore::read(const QString &account, Callback done)
{
    auto *job = makeJob<QKeychain::ReadPasswordJob>(this, account);
    connect(job, &QKeychain::Job::finished, this, [account, done](QKeychain::Job *j) {
        Result result = resultOf(j->error(), j->errorString());
        if (result.status == Status::Ok)
            result.token = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        qCInfo(lcCredentials) << "read token for" << account << "status" << int(result.status);
        done(result);
    });
    job->start();
}

void TokenStore::write(const QString &account, const QString &token, Callback done)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(this, account);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [account, done](QKeychain::Job *j) {
        const Result result = resultOf(j->error(), j->errorString());
        qCInfo(lcCredentials) << "stored token for" << account << "status" << int(result.status);
        done(result);
    });
    job->start();
}

void TokenStore::remove(const QString &account, Callback done)
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(this, account);
    connect(job, &QKeychain::Job::finished, this,
            [done](QKeychain::Job *j) { done(resultOf(j->error(), j->errorString())); });
    job->start();
}

TokenStore::Result TokenStore::resultOf(int error, const QString &message)
{
    switch (QKeychain::Error(error)) {
    case QKeychain::NoError:
        return {Status::Ok, {}, {}};
    case QKeychain::EntryNotFound:
        return {Status::NotFound, {}, message};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return {Status::NoKeychain, {}, message};
    default:
        return {Status::Failed, {}, message};
    }
}

} // namespace herald::client
