// SPDX-License-Identifier: Apache-2.0
// Every 201 for a persistent notification leaves the daemon only after a write holding its
// row reached the disk, and every 200 for an acknowledgement only after some write made
// after the request arrived reached the disk (the receipt's row carries no text the
// interposer can recognise, so that it is the receipt's own write is not checked).
// herald-syncd runs with the herald-syncwatch interposer (tests/fixtures/syncwatch), which
// logs, in order, the writes to the SQLite files, the fsync/fdatasync calls on them and the
// HTTP answers sent. A crash test cannot see this: SIGKILL keeps the kernel's page cache, so a
// daemon that never syncs passes it.
//
// Caught mutations (tests/mutation/mutations.json): `PRAGMA synchronous = OFF` and `= NORMAL`
// (WAL commits without a sync), which tst_durability's SIGKILL tests do not notice.
#include "apihelpers.h"
#include "httpclient.h"
#include "syncdprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {

const QString App = u"shop"_s;

// One line of the interposer's log (see syncwatch.cpp for the format).
struct SyncEvent
{
    qint64 seq = 0;
    char kind = 0;     // W write, S sync, A answer, Q ack request read
    QString path;      // W, S
    qint64 begin = 0;  // S: when the sync started
    int fd = -1;       // A, Q
    int status = 0;    // A
    QList<int> probes; // W, A
};

QList<SyncEvent> readSyncLog(const QString &fileName, QString *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"no syncwatch log at %1: was the interposer loaded?"_s.arg(fileName);
        return {};
    }
    QList<SyncEvent> events;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> f = line.split(' ');
        if (f.size() < 3)
            continue;
        SyncEvent e;
        e.seq = f.at(0).toLongLong();
        e.kind = f.at(1).at(0);
        const auto probes = [&](const QByteArray &field) {
            if (field != "-") {
                for (const QByteArray &n : field.split(','))
                    e.probes.append(n.toInt());
            }
        };
        if (e.kind == 'W' && f.size() == 4) {
            e.path = QString::fromUtf8(f.at(2));
            probes(f.at(3));
        } else if (e.kind == 'S' && f.size() == 4) {
            e.begin = f.at(2).toLongLong();
            e.path = QString::fromUtf8(f.at(3));
        } else if (e.kind == 'A' && f.size() == 5) {
            e.fd = f.at(2).toInt();
            e.status = f.at(3).toInt();
            probes(f.at(4));
        } else if (e.kind == 'Q') {
            e.fd = f.at(2).toInt();
        } else {
            *error = u"malformed syncwatch line: "_s + QString::fromUtf8(line);
            return {};
        }
        events.append(e);
    }
    return events;
}

// A sync of `path` that began after `afterSeq` and completed before `beforeSeq`.
bool syncedBetween(const QList<SyncEvent> &events, const QString &path, qint64 afterSeq,
                   qint64 beforeSeq)
{
    return std::any_of(events.begin(), events.end(), [&](const SyncEvent &e) {
        return e.kind == 'S' && e.path == path && e.begin > afterSeq && e.seq < beforeSeq;
    });
}

// Some write after `afterSeq` that a sync covered before `beforeSeq`.
bool writtenAndSyncedBetween(const QList<SyncEvent> &events, qint64 afterSeq, qint64 beforeSeq)
{
    return std::any_of(events.begin(), events.end(), [&](const SyncEvent &w) {
        return w.kind == 'W' && w.seq > afterSeq && w.seq < beforeSeq &&
               syncedBetween(events, w.path, w.seq, beforeSeq);
    });
}

} // namespace

class TestSyncBeforeAnswer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void every201FollowsTheSyncOfItsRows();
    void everyAck200FollowsTheSyncOfItsReceipt();

private:
    QList<SyncEvent> events();

    SyncdProcess m_syncd;
    HttpClient m_http;
    QString m_logFile;
};

void TestSyncBeforeAnswer::initTestCase()
{
    const QString interposer = qEnvironmentVariable("HERALD_SYNCWATCH_LIB");
    QVERIFY2(QFile::exists(interposer),
             qPrintable(u"HERALD_SYNCWATCH_LIB (%1) must name herald-syncwatch"_s.arg(interposer)));
    m_logFile = m_syncd.tempPath() + u"/syncwatch.log"_s;
    // In a sanitizer build the runtime must be the first library loaded (ASan refuses to
    // start otherwise); ctest names it in HERALD_SANITIZER_RUNTIME (cmake/Sanitizers.cmake).
    const QString runtime = qEnvironmentVariable("HERALD_SANITIZER_RUNTIME");
    m_syncd.setEnvironmentVariable(u"LD_PRELOAD"_s,
                                   runtime.isEmpty() ? interposer : runtime + u':' + interposer);
    m_syncd.setEnvironmentVariable(u"HERALD_SYNCWATCH_LOG"_s, m_logFile);
    m_syncd.setEnvironmentVariable(u"HERALD_SYNCWATCH_PREFIX"_s, m_syncd.databasePath());
    QVERIFY2(m_syncd.start({u"--no-auth"_s}), qPrintable(m_syncd.errorString()));
    m_http.setBaseUrl(m_syncd.httpUrl());
    QVERIFY(createApplication(m_http, App, {u"orders"_s, u"acks"_s}));
    QVERIFY(createUser(m_http, u"alice"_s));
}

void TestSyncBeforeAnswer::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

QList<SyncEvent> TestSyncBeforeAnswer::events()
{
    QString error;
    const QList<SyncEvent> all = readSyncLog(m_logFile, &error);
    if (!error.isEmpty())
        qWarning("%s", qPrintable(error));
    return all;
}

void TestSyncBeforeAnswer::every201FollowsTheSyncOfItsRows()
{
    constexpr int Total = 200;
    const PublishRun run = publishConcurrently(m_http, Total, 8, [](int i) {
        return notificationBody(App, u"orders"_s, u"order probe#%1# received"_s.arg(i));
    });
    QVERIFY2(run.complete && run.failures.isEmpty(), run.failures.value(0));

    const QList<SyncEvent> log = events();
    QStringList unsafe;
    int answers = 0;
    for (int probe = 0; probe < Total; ++probe) {
        const auto answer = std::find_if(log.begin(), log.end(), [&](const SyncEvent &e) {
            return e.kind == 'A' && e.probes.contains(probe);
        });
        if (answer == log.end())
            continue;
        ++answers;
        QCOMPARE(answer->status, 201);
        // Its row may be written several times (each commit rewrites the page); one of those
        // writes must be synced before the answer.
        const bool durable = std::any_of(log.begin(), answer, [&](const SyncEvent &w) {
            return w.kind == 'W' && w.probes.contains(probe) &&
                   syncedBetween(log, w.path, w.seq, answer->seq);
        });
        if (!durable)
            unsafe.append(u"probe %1 (201 at #%2)"_s.arg(probe).arg(answer->seq));
    }
    QCOMPARE(answers, Total); // the interposer saw every answer leave
    QVERIFY2(unsafe.isEmpty(),
             qPrintable(u"%1 of %2 answered 201 before a sync covered their rows, e.g. %3"_s
                            .arg(unsafe.size())
                            .arg(Total)
                            .arg(unsafe.mid(0, 3).join(u", "_s))));
}

// Each 200 follows a synced write made after its request was read; whose write it was is not
// known (see the top of the file).
void TestSyncBeforeAnswer::everyAck200FollowsTheSyncOfItsReceipt()
{
    QList<qint64> ids;
    for (int i = 0; i < 10; ++i)
        ids.append(publish(m_http, App, u"acks"_s, u"to read %1"_s.arg(i)));
    QVERIFY(!ids.contains(0));
    const QList<SyncEvent> before = events();
    QVERIFY2(!before.isEmpty(), "the interposer logged nothing");
    const qint64 acksStart = before.constLast().seq;
    for (const qint64 id : std::as_const(ids)) {
        const HttpResponse ack =
            m_http.post(u"/api/v1/acks"_s,
                        QJsonObject{{"ids"_L1, QJsonArray{double(id)}}, {"user"_L1, "alice"_L1}});
        QVERIFY2(ack.status == 200, ack.describe());
    }

    const QList<SyncEvent> log = events();
    int requests = 0;
    QStringList unsafe;
    for (auto request = log.begin(); request != log.end(); ++request) {
        if (request->kind != 'Q' || request->seq <= acksStart)
            continue;
        ++requests;
        const auto answer = std::find_if(request + 1, log.end(), [&](const SyncEvent &e) {
            return e.kind == 'A' && e.fd == request->fd;
        });
        QVERIFY2(answer != log.end(), "an ack request got no answer in the log");
        QCOMPARE(answer->status, 200);
        if (!writtenAndSyncedBetween(log, request->seq, answer->seq))
            unsafe.append(u"read at #%1, 200 at #%2"_s.arg(request->seq).arg(answer->seq));
    }
    QCOMPARE(requests, int(ids.size())); // the interposer saw every request arrive
    QVERIFY2(unsafe.isEmpty(),
             qPrintable(u"%1 of %2 acks answered 200 with no write synced in between, e.g. %3"_s
                            .arg(unsafe.size())
                            .arg(ids.size())
                            .arg(unsafe.mid(0, 3).join(u", "_s))));
}

QTEST_GUILESS_MAIN(TestSyncBeforeAnswer)
#include "tst_syncbeforeanswer.moc"
