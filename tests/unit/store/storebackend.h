#pragma once

// Which database the store tests run on. CMake registers each store test twice: as
// `tst_x` on SQLite files and as `tst_x_postgresql` with HERALD_TEST_BACKEND=postgresql on a
// throwaway PostgreSQL cluster (one per test executable, a new database per test function).

#include "postgrescluster.h"

#include <QRegularExpression>
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

    // A new, empty database: `sqliteFile` for SQLite, else a new database on the cluster
    // named after the current test function. Empty (with a warning) when it cannot be made.
    QString freshDatabase(const QString &sqliteFile)
    {
        if (!m_postgresql)
            return sqliteFile;
        static const QRegularExpression notIdentifier(QStringLiteral("[^a-z0-9_]"));
        QString name = QString::fromLatin1(QTest::currentTestFunction()).toLower();
        name.replace(notIdentifier, QStringLiteral("_"));
        name = QStringLiteral("t%1_%2").arg(++m_databases).arg(name.left(40));
        const QString url = m_cluster ? m_cluster->createDatabase(name) : QString();
        if (url.isEmpty())
            qWarning().noquote() << "cannot create a database:"
                                 << (m_cluster ? m_cluster->errorString() : QStringLiteral("no cluster"));
        return url;
    }

    herald::test::PostgresCluster *cluster() { return m_cluster.get(); }

private:
    bool m_postgresql;
    std::unique_ptr<herald::test::PostgresCluster> m_cluster;
    int m_databases = 0;
};

} // namespace herald::syncd::test
