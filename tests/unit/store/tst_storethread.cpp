// SPDX-License-Identifier: Apache-2.0
#include "storebackend.h"
#include "storetestdata.h"

#include "store/storethread.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace herald;
using namespace herald::syncd;
using namespace herald::syncd::test;

namespace {

using InsertOp = std::function<Result<NotificationId>(SqlStore &)>;

InsertOp insertOne(NotificationId id)
{
    return [id](SqlStore &store) -> Result<NotificationId> {
        QList<Notification> batch{notification(id, u"app"_s, u"alerts"_s)};
        if (auto stored = store.insertNotifications(batch); !stored)
            return tl::unexpected(stored.error());
        return id;
    };
}

// Holds the store thread inside one operation until released, so that what is submitted
// meanwhile queues up and forms the next batch.
class Blocker
{
public:
    void submitTo(StoreThread &thread, QObject *context)
    {
        thread.submit<int>(
            [this](SqlStore &) -> Result<int> {
                m_entered.release();
                m_release.acquire();
                return 0;
            },
            context, [](Result<int>) {});
        m_entered.acquire(); // the store thread is inside now
    }
    void release() { m_release.release(); }

private:
    QSemaphore m_entered;
    QSemaphore m_release;
};

} // namespace

class TestStoreThread : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void startReportsOpenError();
    void groupsConcurrentSubmitsAndDeliversAfterCommit();
    void deliversOnContextThread();
    void failingOperationDoesNotAffectOthers();
    void stopAndDrainCommitsQueuedWork();
    void submitAfterStopFails();
    void measuresGroupCommitThroughput();

private:
    QString path() const { return m_database; }
    std::unique_ptr<SqlStore> openReader();
    std::unique_ptr<StoreThread> startThread(const QString &synchronous = u"FULL"_s);
    // Runs the event loop until `delivered` reaches `expected` or `timeoutMs` passes.
    void waitForDeliveries(const int &delivered, int expected, int timeoutMs = 60000);

    StoreBackend m_backend;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_database; // new for each test function
    QObject m_context;  // lives on the test's (main) thread
    QEventLoop *m_loop = nullptr;
};

void TestStoreThread::initTestCase()
{
    const QString error = m_backend.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestStoreThread::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = m_backend.freshDatabase(m_dir->filePath(u"herald.db"_s));
    QVERIFY(!m_database.isEmpty());
    auto store = openReader();
    QVERIFY(store);
    STORE_VERIFY(store->upsertApplication(application(u"app"_s)));
    STORE_VERIFY(store->upsertChannel(Channel{0, u"app"_s, u"alerts"_s, {}, {}}));
}

void TestStoreThread::cleanup()
{
    m_dir.reset();
}

std::unique_ptr<SqlStore> TestStoreThread::openReader()
{
    auto store = SqlStore::open(path());
    if (!store) {
        qWarning() << store.error().message;
        return nullptr;
    }
    return std::move(*store);
}

std::unique_ptr<StoreThread> TestStoreThread::startThread(const QString &synchronous)
{
    StoreOptions options;
    options.synchronous = synchronous;
    auto thread = StoreThread::start(path(), options);
    if (!thread) {
        qWarning() << thread.error().message;
        return nullptr;
    }
    return std::move(*thread);
}

void TestStoreThread::waitForDeliveries(const int &delivered, int expected, int timeoutMs)
{
    if (delivered >= expected)
        return;
    QEventLoop loop;
    QTimer poll; // deliveries quit the loop themselves; this only ends a stuck wait
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (delivered >= expected)
            loop.quit();
    });
    poll.start(5);
    loop.exec();
}

void TestStoreThread::startReportsOpenError()
{
    auto unsupported = StoreThread::start(u"mysql://herald@127.0.0.1/herald"_s);
    QVERIFY(!unsupported);
    QCOMPARE(unsupported.error().code, ErrorCode::BadRequest);
    // Nothing listens on port 1.
    auto unreachable = StoreThread::start(u"postgresql://herald:pw@127.0.0.1:1/herald"_s);
    QVERIFY(!unreachable);
    QCOMPARE(unreachable.error().code, ErrorCode::Unavailable);
    QVERIFY2(!unreachable.error().message.contains(u":pw@"_s),
             qPrintable(unreachable.error().message));

    auto failing = StoreThread::start([]() -> Result<std::unique_ptr<SqlStore>> {
        return fail(ErrorCode::Unavailable, u"disk on fire"_s);
    });
    QVERIFY(!failing);
    QCOMPARE(failing.error().message, u"disk on fire"_s);

    auto good = StoreThread::start(path());
    STORE_VERIFY(good);
    QVERIFY((*good)->isRunning());
    QCOMPARE((*good)->databaseName(), (*Dialect::forDatabase(path()))->displayName());
}

void TestStoreThread::groupsConcurrentSubmitsAndDeliversAfterCommit()
{
    auto thread = startThread();
    QVERIFY(thread);
    auto reader = openReader(); // a second connection sees only committed rows
    QVERIFY(reader);

    constexpr int Submitters = 4;
    constexpr int PerSubmitter = 250;
    int delivered = 0;
    int failed = 0;
    int wrongThread = 0;
    int notYetCommitted = 0;
    std::vector<std::unique_ptr<QThread>> submitters;
    for (int s = 0; s < Submitters; ++s) {
        submitters.emplace_back(QThread::create([&, s] {
            for (int i = 0; i < PerSubmitter; ++i) {
                const NotificationId id = 1 + s * PerSubmitter + i;
                thread->submit<NotificationId>(
                    insertOne(id), &m_context, [&, id](Result<NotificationId> result) {
                        ++delivered;
                        if (!result || *result != id)
                            ++failed;
                        if (QThread::currentThread() != m_context.thread())
                            ++wrongThread;
                        auto found = reader->findNotification(id);
                        if (!found || !found->has_value())
                            ++notYetCommitted;
                    });
            }
        }));
        submitters.back()->start();
    }
    for (auto &submitter : submitters)
        QVERIFY(submitter->wait(60000));
    waitForDeliveries(delivered, Submitters * PerSubmitter);

    QCOMPARE(delivered, Submitters * PerSubmitter);
    QCOMPARE(failed, 0);
    QCOMPARE(wrongThread, 0);
    QCOMPARE(notYetCommitted, 0);
    QCOMPARE(thread->operationsCommitted(), quint64(Submitters * PerSubmitter));
    qInfo() << Submitters * PerSubmitter << "operations in" << thread->batchesCommitted()
            << "batches";
    QVERIFY(thread->batchesCommitted() < thread->operationsCommitted());
    auto count = reader->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, Submitters * PerSubmitter);
}

void TestStoreThread::deliversOnContextThread()
{
    auto thread = startThread();
    QVERIFY(thread);
    QThread worker;
    QObject workerContext;
    workerContext.moveToThread(&worker);
    worker.start();

    QAtomicInt onWorker = 0;
    QAtomicInt onMain = 0;
    QAtomicInt elsewhere = 0;
    for (NotificationId id = 1; id <= 20; ++id) {
        QObject *context = id % 2 ? &workerContext : &m_context;
        thread->submit<NotificationId>(insertOne(id), context,
                                       [&, context](Result<NotificationId> result) {
                                           if (!result)
                                               return;
                                           if (QThread::currentThread() != context->thread())
                                               elsewhere.ref();
                                           else if (context == &m_context)
                                               onMain.ref();
                                           else
                                               onWorker.ref();
                                       });
    }
    QTRY_COMPARE(onMain.loadRelaxed() + onWorker.loadRelaxed() + elsewhere.loadRelaxed(), 20);
    QCOMPARE(elsewhere.loadRelaxed(), 0);
    QCOMPARE(onMain.loadRelaxed(), 10);
    QCOMPARE(onWorker.loadRelaxed(), 10);
    worker.quit();
    QVERIFY(worker.wait());
}

void TestStoreThread::failingOperationDoesNotAffectOthers()
{
    auto thread = startThread();
    QVERIFY(thread);
    Blocker blocker;
    blocker.submitTo(*thread, &m_context);

    QList<Result<NotificationId>> results;
    auto record = [&](Result<NotificationId> result) { results.append(result); };
    thread->submit<NotificationId>(insertOne(1), &m_context, record);
    thread->submit<NotificationId>(
        [](SqlStore &store) -> Result<NotificationId> {
            // Writes, then fails: its write must vanish with it.
            if (auto created = store.createUser(u"ghost"_s); !created)
                return tl::unexpected(created.error());
            return fail(ErrorCode::Conflict, u"refused after writing"_s);
        },
        &m_context, record);
    thread->submit<NotificationId>(insertOne(2), &m_context, record);
    thread->submit<NotificationId>(insertOne(1), &m_context, record); // id taken: Conflict
    thread->submit<NotificationId>(
        [](SqlStore &) -> Result<NotificationId> { throw std::runtime_error("bug"); }, &m_context,
        record);
    thread->submit<NotificationId>(insertOne(3), &m_context, record);
    blocker.release();

    QTRY_COMPARE(results.size(), 6);
    QVERIFY(results.at(0).has_value());
    QVERIFY(!results.at(1));
    QCOMPARE(results.at(1).error().message, u"refused after writing"_s);
    QVERIFY(results.at(2).has_value());
    QVERIFY(!results.at(3));
    QCOMPARE(results.at(3).error().code, ErrorCode::Conflict);
    QVERIFY(!results.at(4));
    QCOMPARE(results.at(4).error().code, ErrorCode::Internal);
    QVERIFY(results.at(5).has_value());
    // The blocker's batch, then one batch for all six.
    QCOMPARE(thread->batchesCommitted(), quint64(2));
    QCOMPARE(thread->operationsCommitted(), quint64(1 + 3));

    auto reader = openReader();
    QVERIFY(reader);
    auto ghost = reader->userExists(u"ghost"_s);
    STORE_VERIFY(ghost);
    QVERIFY(!*ghost);
    auto count = reader->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 3);
}

void TestStoreThread::stopAndDrainCommitsQueuedWork()
{
    auto thread = startThread();
    QVERIFY(thread);
    Blocker blocker;
    blocker.submitTo(*thread, &m_context);
    int succeeded = 0;
    for (NotificationId id = 1; id <= 100; ++id) {
        thread->submit<NotificationId>(insertOne(id), &m_context,
                                       [&](Result<NotificationId> result) {
                                           if (result)
                                               ++succeeded;
                                       });
    }
    blocker.release();
    thread->stopAndDrain();
    QVERIFY(thread->isFinished());

    // Durable before stopAndDrain returned...
    auto reader = openReader();
    QVERIFY(reader);
    auto count = reader->countNotifications();
    STORE_VERIFY(count);
    QCOMPARE(*count, 100);
    // ...and every result already posted.
    QCOMPARE(succeeded, 0);
    QCoreApplication::sendPostedEvents();
    QCOMPARE(succeeded, 100);
}

void TestStoreThread::submitAfterStopFails()
{
    auto thread = startThread();
    QVERIFY(thread);
    thread->stopAndDrain();
    std::optional<Result<NotificationId>> result;
    thread->submit<NotificationId>(insertOne(1), &m_context,
                                   [&](Result<NotificationId> r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(!*result);
    QCOMPARE(result->error().code, ErrorCode::Unavailable);
    thread->stopAndDrain(); // twice is harmless
}

void TestStoreThread::measuresGroupCommitThroughput()
{
    // A measurement for the record, not an assertion: synchronous=FULL, one row each.
    auto thread = startThread(u"FULL"_s);
    QVERIFY(thread);

    // PostgreSQL is a round trip per statement: fewer rows keep the run short.
    const int Concurrent = m_backend.isPostgresql() ? 5000 : 20000;
    constexpr int Submitters = 8;
    int delivered = 0;
    int failed = 0;
    QElapsedTimer timer;
    timer.start();
    std::vector<std::unique_ptr<QThread>> submitters;
    for (int s = 0; s < Submitters; ++s) {
        submitters.emplace_back(QThread::create([&, s] {
            for (int i = s; i < Concurrent; i += Submitters) {
                thread->submit<NotificationId>(insertOne(1 + i), &m_context,
                                               [&](Result<NotificationId> result) {
                                                   ++delivered;
                                                   if (!result)
                                                       ++failed;
                                               });
            }
        }));
        submitters.back()->start();
    }
    waitForDeliveries(delivered, Concurrent, 240000);
    const qint64 concurrentMs = std::max<qint64>(timer.elapsed(), 1);
    for (auto &submitter : submitters)
        QVERIFY(submitter->wait());
    QCOMPARE(delivered, Concurrent);
    QCOMPARE(failed, 0);
    const quint64 batches = thread->batchesCommitted();
    qInfo().nospace() << m_backend.name() << " group commit, synchronous=FULL: " << Concurrent
                      << " single-row inserts from " << Submitters << " threads in " << concurrentMs
                      << " ms = " << Concurrent * 1000 / concurrentMs << " rows/s (" << batches
                      << " commits)";

    const int OneByOne = m_backend.isPostgresql() ? 500 : 2000;
    timer.restart();
    int succeeded = 0;
    for (int i = 0; i < OneByOne; ++i) {
        QEventLoop loop;
        bool done = false;
        thread->submit<NotificationId>(insertOne(Concurrent + 1 + i), &m_context,
                                       [&](Result<NotificationId> result) {
                                           done = true;
                                           if (result)
                                               ++succeeded;
                                           loop.quit();
                                       });
        if (!done)
            loop.exec();
    }
    const qint64 serialMs = std::max<qint64>(timer.elapsed(), 1);
    QCOMPARE(succeeded, OneByOne);
    qInfo().nospace() << m_backend.name() << " awaited one by one, synchronous=FULL: " << OneByOne
                      << " inserts in " << serialMs << " ms = " << OneByOne * 1000 / serialMs
                      << " rows/s (" << thread->batchesCommitted() - batches << " commits)";
}

QTEST_GUILESS_MAIN(TestStoreThread)
#include "tst_storethread.moc"
