// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "credentials/tokenstore.h"

#include <QHash>
#include <QObject>
#include <QString>

#include <optional>

namespace herald::client {

// The keychain as a hash. Answers from the event loop, as QtKeychain does.
class FakeTokenStore : public TokenStore
{
public:
    void read(const QString &account, Callback done) override
    {
        ++reads;
        Result result{TokenStore::Status::NotFound, {}, QStringLiteral("no such entry")};
        if (readFailure)
            result = {*readFailure, {}, QStringLiteral("keychain says no")};
        else if (entries.contains(account))
            result = {TokenStore::Status::Ok, entries.value(account), {}};
        answer(std::move(done), result);
    }
    void write(const QString &account, const QString &token, Callback done) override
    {
        Result result{TokenStore::Status::Ok, {}, {}};
        if (writeFailure)
            result = {*writeFailure, {}, QStringLiteral("keychain says no")};
        else
            entries.insert(account, token);
        answer(std::move(done), result);
    }
    void remove(const QString &account, Callback done) override
    {
        entries.remove(account);
        answer(std::move(done), {TokenStore::Status::Ok, {}, {}});
    }

    QHash<QString, QString> entries; // account -> token
    std::optional<TokenStore::Status> readFailure;
    std::optional<TokenStore::Status> writeFailure;
    int reads = 0;

private:
    void answer(Callback done, const Result &result)
    {
        QMetaObject::invokeMethod(
            this, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
    }
};

} // namespace herald::client
