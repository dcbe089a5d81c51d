// SPDX-License-Identifier: Apache-2.0
#pragma once

// The setup shared by the SqlStore tests (tst_sqlstoreconnection, tst_sqlstorecatalog,
// tst_sqlstorenotifications): each test class derives from QObject and from this fixture and
// forwards initTestCase(), init() and cleanup() to it. Every test function gets a new, empty
// database on the run's backend (see storebackend.h) and a store opened on it.

#include "storebackend.h"
#include "storetestdata.h"

#include "store/sqlstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace herald::syncd::test {

// The value of a Result; a failed Result fails the test (and gives a default value).
template <typename T> T must(Result<T> result, const char *expression, const char *file, int line)
{
    if (result)
        return std::move(*result);
    const QString message =
        QLatin1StringView(expression) + QStringLiteral(": ") + result.error().message;
    QTest::qFail(qPrintable(message), file, line);
    return T();
}
#define MUST(result) herald::syncd::test::must((result), #result, __FILE__, __LINE__)

class SqlStoreFixture
{
protected:
    // From initTestCase().
    void startBackend()
    {
        const QString error = m_backend.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // From init().
    void openFreshStore()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_database = m_backend.freshDatabase(m_dir->filePath(QStringLiteral("herald.db")));
        QVERIFY(!m_database.isEmpty());
        openStore();
    }

    // From cleanup().
    void closeStore()
    {
        m_store.reset();
        m_dir.reset();
    }

    QString path() const { return m_database; }

    void openStore(const StoreOptions &options = {})
    {
        m_store.reset();
        auto opened = SqlStore::open(path(), options);
        STORE_VERIFY(opened);
        m_store = std::move(*opened);
    }

    // Application "app" with channels "alerts" and "news"; "other" with channel "alerts".
    void addCatalog()
    {
        const QString app = QStringLiteral("app");
        const QString other = QStringLiteral("other");
        const QString alerts = QStringLiteral("alerts");
        STORE_VERIFY(m_store->upsertApplication(application(app)));
        STORE_VERIFY(m_store->upsertApplication(application(other)));
        STORE_VERIFY(m_store->upsertChannel(Channel{0, app, alerts, QStringLiteral("Alerts"), {}}));
        STORE_VERIFY(m_store->upsertChannel(
            Channel{0, app, QStringLiteral("news"), QStringLiteral("News"), {}}));
        STORE_VERIFY(m_store->upsertChannel(Channel{0, other, alerts, {}, {}}));
    }

    void insert(QList<Notification> notifications)
    {
        STORE_VERIFY(m_store->insertNotifications(notifications));
    }

    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database; // a file path or a postgresql:// URL, new for each test function
    std::unique_ptr<SqlStore> m_store;
};

} // namespace herald::syncd::test
