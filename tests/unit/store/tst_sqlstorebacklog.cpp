#include "storetestdata.h"

#include "store/sqlstore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

constexpr qint64 Rows = 1000000;
constexpr NotificationId FirstId = 129171460096064; // 2026-01-01, node 1
constexpr int FetchLast = 100;
constexpr int Acknowledged = 10000;
// Generous against a noisy machine; a scan of the whole table takes far longer.
constexpr double LimitMs = 200;

// Row i: every fifth in channel "noise" (not subscribed), the rest in "alerts"; some for bob
// only, some for alice and bob, some expired.
QString channelOf(qint64 i)
{
    return i % 5 == 4 ? u"noise"_s : u"alerts"_s;
}

QStringList recipientsOf(qint64 i)
{
    if (i % 10 == 3)
        return {u"bob"_s};
    if (i % 10 == 7)
        return {u"alice"_s, u"bob"_s};
    return {};
}

bool expired(qint64 i)
{
    return i % 1000 == 1;
}

bool visibleToAlice(qint64 i)
{
    const QStringList recipients = recipientsOf(i);
    return channelOf(i) == u"alerts" && !expired(i) &&
           (recipients.isEmpty() || recipients.contains(u"alice"_s));
}

} // namespace

class TestSqlStoreBacklog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void backlogIsFastWithNothingAcknowledged();
    void backlogIsFastWithNewestAcknowledged();

private:
    double timeBacklog(SqlStore &store, const BacklogQuery &query, QList<Notification> *result);
    BacklogQuery aliceQuery() const;

    QTemporaryDir m_dir;
    std::unique_ptr<SqlStore> m_store;
};

void TestSqlStoreBacklog::initTestCase()
{
    QVERIFY(m_dir.isValid());
    StoreOptions options;
    options.synchronous = u"OFF"_s; // only the fill; durability is not under test here
    auto opened = SqlStore::open(m_dir.filePath(u"herald.db"_s), options);
    STORE_VERIFY(opened);
    m_store = std::move(*opened);
    STORE_VERIFY(m_store->upsertApplication(application(u"app"_s)));

    QElapsedTimer timer;
    timer.start();
    constexpr qint64 PerTransaction = 100000;
    constexpr qint64 PerInsert = 10000;
    for (qint64 first = 0; first < Rows; first += PerTransaction) {
        STORE_VERIFY(m_store->begin());
        for (qint64 start = first; start < first + PerTransaction; start += PerInsert) {
            QList<Notification> batch;
            batch.reserve(PerInsert);
            for (qint64 i = start; i < start + PerInsert; ++i) {
                Notification n = notification(FirstId + i, u"app"_s, channelOf(i), recipientsOf(i));
                n.time = baseTime().addMSecs(i);
                if (expired(i))
                    n.expiresAt = baseTime().addSecs(-1);
                batch.append(std::move(n));
            }
            STORE_VERIFY(m_store->insertNotifications(batch));
        }
        STORE_VERIFY(m_store->commit());
    }
    qInfo() << "filled" << Rows << "notifications in" << timer.elapsed() << "ms";
    auto count = m_store->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, Rows);
}

BacklogQuery TestSqlStoreBacklog::aliceQuery() const
{
    BacklogQuery query;
    query.user = u"alice"_s;
    query.subscriptions = {{u"app"_s, {u"alerts"_s}}};
    query.limit = FetchLast;
    query.now = baseTime();
    return query;
}

double TestSqlStoreBacklog::timeBacklog(SqlStore &store, const BacklogQuery &query,
                                        QList<Notification> *result)
{
    QElapsedTimer timer;
    timer.start();
    auto found = store.backlog(query);
    const double ms = timer.nsecsElapsed() / 1e6;
    if (!found) {
        qWarning() << found.error().message;
        return 1e9;
    }
    if (result)
        *result = *found;
    return ms;
}

void TestSqlStoreBacklog::backlogIsFastWithNothingAcknowledged()
{
    QList<NotificationId> expected;
    for (qint64 i = Rows - 1; i >= 0 && expected.size() < FetchLast; --i) {
        if (visibleToAlice(i))
            expected.prepend(FirstId + i);
    }

    QList<double> times;
    for (int run = 0; run < 5; ++run) {
        QList<Notification> found;
        times.append(timeBacklog(*m_store, aliceQuery(), &found));
        QCOMPARE(idsOf(found), expected);
    }
    qInfo() << "backlog of" << FetchLast << "among" << Rows
            << "rows, nothing acknowledged:" << times << "ms";
    for (double ms : std::as_const(times))
        QVERIFY2(ms < LimitMs, qPrintable(u"%1 ms"_s.arg(ms)));

    BacklogQuery after = aliceQuery();
    after.afterId = expected.at(FetchLast / 2);
    QList<Notification> found;
    const double ms = timeBacklog(*m_store, after, &found);
    qInfo() << "... with afterId:" << ms << "ms";
    QCOMPARE(idsOf(found), expected.mid(FetchLast / 2 + 1));
    QVERIFY2(ms < LimitMs, qPrintable(u"%1 ms"_s.arg(ms)));
}

void TestSqlStoreBacklog::backlogIsFastWithNewestAcknowledged()
{
    QList<NotificationId> newest;
    for (qint64 i = Rows - 1; i >= 0 && newest.size() < Acknowledged; --i) {
        if (visibleToAlice(i))
            newest.append(FirstId + i);
    }
    STORE_VERIFY(m_store->begin());
    for (qsizetype first = 0; first < newest.size(); first += 1000) {
        auto acked = m_store->acknowledge(u"alice"_s, newest.mid(first, 1000), baseTime());
        STORE_VERIFY(acked);
        QCOMPARE(acked->size(), 1000);
    }
    STORE_VERIFY(m_store->commit());

    // The scan stops at backlogScanLimit rows: all of them acknowledged or bob's, so nothing.
    QList<double> times;
    for (int run = 0; run < 5; ++run) {
        QList<Notification> found;
        times.append(timeBacklog(*m_store, aliceQuery(), &found));
        QCOMPARE(found.size(), 0);
    }
    qInfo() << "backlog with the newest" << Acknowledged << "acknowledged:" << times << "ms";
    for (double ms : std::as_const(times))
        QVERIFY2(ms < LimitMs, qPrintable(u"%1 ms"_s.arg(ms)));

    // For the record: what the scan limit saves.
    StoreOptions unlimited;
    unlimited.backlogScanLimit = int(Rows);
    auto full = SqlStore::open(m_dir.filePath(u"herald.db"_s), unlimited);
    STORE_VERIFY(full);
    QList<Notification> found;
    const double ms = timeBacklog(**full, aliceQuery(), &found);
    qInfo() << "... the same without a scan limit (every row of the channel):" << ms << "ms";
    QCOMPARE(found.size(), FetchLast);
}

QTEST_GUILESS_MAIN(TestSqlStoreBacklog)
#include "tst_sqlstorebacklog.moc"
