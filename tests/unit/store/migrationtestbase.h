// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storebackend.h"

#include "store/sqlconnection.h"

#include <QSqlQuery>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#define STORE_VERIFY(result)                                                                       \
    do {                                                                                           \
        const auto &storeVerifyResult_ = (result);                                                 \
        QVERIFY2(storeVerifyResult_.has_value(),                                                   \
                 qPrintable(storeVerifyResult_ ? QString() : storeVerifyResult_.error().message)); \
    } while (false)

namespace herald::syncd::test {

// What the migration tests share: the backend (SQLite, or PostgreSQL with
// HERALD_TEST_BACKEND=postgresql), a fresh database and temporary folder for each test
// function, and connections of their own to read what a migration left.
class MigrationTestBase : public QObject
{
protected:
    // From initTestCase(), init() and cleanup(); empty when all went well.
    QString startBackend() { return m_backend.start(); }
    bool freshDatabase()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return false;
        m_database = m_backend.freshDatabase(m_dir->filePath(QStringLiteral("herald.db")));
        return !m_database.isEmpty();
    }
    void dropFolder() { m_dir.reset(); }

    QString path() const { return m_database; }

    // A connection of its own to `database` (a file path or a postgresql:// URL).
    static std::unique_ptr<SqlConnection> connect(const QString &database)
    {
        auto dialect = Dialect::forDatabase(database);
        if (!dialect) {
            qWarning() << dialect.error().message;
            return nullptr;
        }
        auto connection = SqlConnection::open(std::move(*dialect));
        if (!connection) {
            qWarning() << connection.error().message;
            return nullptr;
        }
        return std::move(*connection);
    }

    // The version in herald_schema; -1 when unreadable, -2 when it has more than one row.
    static int storedVersion(SqlConnection &connection)
    {
        QSqlQuery query(connection.db());
        if (!query.exec(QStringLiteral("SELECT version FROM herald_schema")) || !query.next())
            return -1;
        const int version = query.value(0).toInt();
        return query.next() ? -2 : version;
    }

    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database; // new for each test function
};

} // namespace herald::syncd::test
