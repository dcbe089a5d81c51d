// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which database the store tests run on. CMake registers each store test twice: as
// `tst_x` on SQLite files and as `tst_x_postgresql` with HERALD_TEST_BACKEND=postgresql on a
// throwaway PostgreSQL cluster (one per test executable, emptied for each test function).

#include "postgrescluster.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace herald::syncd::test {

class StoreBackend
{
public:
    StoreBackend()
        : m_postgresql(qEnvironmentVariable("HERALD_TEST_BACKEND") == QStringLiteral("postgresql"))
    {
    }

    bool isPostgresql() const { return m_postgresql; }
    QString name() const
    {
        return m_postgresql ? QStringLiteral("postgresql") : QStringLiteral("sqlite");
    }

    // From initTestCase(): starts PostgreSQL when the run needs it. An error text when it
    // cannot; the test must then fail, not skip (CI installs PostgreSQL).
    QString start()
    {
        if (!m_postgresql)
            return {};
        m_cluster = std::make_unique<herald::test::PostgresCluster>();
        if (!m_cluster->start())
            return QStringLiteral("cannot run the PostgreSQL store tests: ") +
                   m_cluster->errorString();
        qInfo().noquote() << "PostgreSQL test cluster on" << m_cluster->urlWithoutPassword({});
        return {};
    }

    // A new, empty database: `sqliteFile` for SQLite; on PostgreSQL the run's database
    // (created on first use) with its schema dropped and made again, which is several times
    // faster than CREATE DATABASE. Empty (with a warning) when it cannot be made.
    QString freshDatabase(const QString &sqliteFile)
    {
        if (!m_postgresql)
            return sqliteFile;
        if (!m_cluster) {
            qWarning("no PostgreSQL cluster: initTestCase() did not start it");
            return {};
        }
        if (m_url.isEmpty()) {
            m_url = m_cluster->createDatabase(QStringLiteral("herald_test"));
        } else if (!m_cluster->psql(QStringLiteral("herald_test"),
                                    QStringLiteral("SET lock_timeout = '10s'; "
                                                   "DROP SCHEMA public CASCADE; "
                                                   "CREATE SCHEMA public"))) {
            qWarning().noquote() << "cannot empty the test database:" << m_cluster->errorString();
            return {};
        }
        if (m_url.isEmpty())
            qWarning().noquote() << "cannot create a database:" << m_cluster->errorString();
        return m_url;
    }

    herald::test::PostgresCluster *cluster() { return m_cluster.get(); }

private:
    bool m_postgresql;
    std::unique_ptr<herald::test::PostgresCluster> m_cluster;
    QString m_url; // of the run's database
};

} // namespace herald::syncd::test
