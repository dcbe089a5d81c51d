// SPDX-License-Identifier: Apache-2.0
#include "metrics/metrics.h"
#include "net/wsframe.h"
#include "ws/framewriter.h"
#include "ws/sessionindex.h"

#include <QHash>
#include <QTest>

using namespace herald::syncd;

namespace {
constexpr qint64 MaxPending = 1000;

// The payloads of the short unmasked text frames in `bytes`, joined by '+'.
QString texts(const QByteArray &bytes)
{
    QStringList payloads;
    for (qsizetype at = 0; at + 2 <= bytes.size();) {
        const qsizetype length = quint8(bytes[at + 1]);
        Q_ASSERT(quint8(bytes[at]) == 0x81 && length < 126);
        payloads.append(QString::fromUtf8(bytes.mid(at + 2, length)));
        at += 2 + length;
    }
    return payloads.join(u'+');
}

QStringList events(std::initializer_list<const char *> lines)
{
    QStringList list;
    for (const char *line : lines)
        list.append(QString::fromLatin1(line));
    return list;
}

// Records what the writer hands to the sockets, one line per call: "<session> <what>".
class RecordingSink final : public FrameWriter::Sink
{
public:
    QStringList events;
    QHash<quint64, qint64> pending; // what each session's kernel buffer has not taken

    qint64 pendingBytes(const ClientSession &session) const override
    {
        return pending.value(session.id);
    }
    void write(ClientSession &session, const QList<QByteArray> &frames) override
    {
        record(session, QStringLiteral("write ") + texts(frames.join()));
    }
    void close(ClientSession &session, int code, const QString &reason) override
    {
        record(session, QStringLiteral("close %1 %2").arg(code).arg(reason));
    }
    void ping(ClientSession &session) override { record(session, QStringLiteral("ping")); }
    void abort(ClientSession &session) override { record(session, QStringLiteral("abort")); }
    void pushOut(ClientSession &session) override { record(session, QStringLiteral("pushOut")); }

private:
    void record(const ClientSession &session, const QString &what)
    {
        events.append(QString::number(session.id) + u' ' + what);
    }
};

struct Fixture
{
    RecordingSink sink;
    WorkerInterest channels;
    WorkerInterest users;
    SessionIndex sessions{channels, users, 0};
    Metrics metrics;
    FrameWriter writer{sink, sessions, MaxPending, metrics};
};
} // namespace

class TestFrameWriter : public QObject
{
    Q_OBJECT

private slots:
    void writesAtOnceOutsideABatch()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.sendText(*a, "hello");
        f.writer.sendText(*a, "again");
        QCOMPARE(f.sink.events, events({"1 write hello", "1 write again"}));
    }

    void sendsPreparedFramesAsTheyAre()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.sendFrame(*a, webSocketTextFrame("shared"));
        QCOMPARE(f.sink.events, events({"1 write shared"}));
    }

    void batchJoinsEachSessionsFramesIntoOneWrite()
    {
        Fixture f;
        auto a = f.sessions.create();
        auto b = f.sessions.create();
        f.writer.beginBatch();
        f.writer.sendText(*a, "1");
        f.writer.sendText(*b, "x");
        f.writer.sendText(*a, "2");
        f.writer.sendFrame(*a, webSocketTextFrame("3"));
        QVERIFY(f.sink.events.isEmpty());
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 write 1+2+3", "2 write x"}));
    }

    void keepsRoomForAFewFramesButNotForABurst()
    {
        // After a write the session's list keeps its room for the next batch, unless a burst
        // (a long backlog) made it large: that room would stay with the session for good.
        Fixture f;
        auto a = f.sessions.create();
        const auto batchOf = [&](int frames) {
            f.writer.beginBatch();
            for (int i = 0; i < frames; ++i)
                f.writer.sendText(*a, "n");
            f.writer.endBatch();
        };
        batchOf(3);
        QVERIFY(a->unsent.isEmpty());
        QVERIFY(a->unsent.capacity() >= 3);
        batchOf(100);
        QVERIFY(a->unsent.isEmpty());
        QCOMPARE(a->unsent.capacity(), 0);
        QCOMPARE(f.sink.events.size(), 2);
    }

    void nestedBatchesWriteWhenTheOutermostEnds()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.beginBatch();
        f.writer.sendText(*a, "outer");
        f.writer.beginBatch();
        f.writer.sendText(*a, "inner");
        f.writer.endBatch();
        QVERIFY(f.sink.events.isEmpty());
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 write outer+inner"}));
        f.writer.sendText(*a, "after");
        QCOMPARE(f.sink.events.last(), QStringLiteral("1 write after"));
    }

    void queuedFramesGoBeforeTheCloseFrame()
    {
        Fixture f;
        auto a = f.sessions.create();
        auto b = f.sessions.create();
        f.writer.beginBatch();
        f.writer.sendText(*a, "error");
        f.writer.sendText(*b, "other");
        f.writer.close(*a, 1008, QStringLiteral("bye"));
        QCOMPARE(f.sink.events, events({"1 write error", "1 close 1008 bye"}));
        QCOMPARE(a->stage, ClientSession::Stage::Closing);
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 write error", "1 close 1008 bye", "2 write other"}));
    }

    void nothingFollowsTheCloseFrame()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.close(*a, 1000, QStringLiteral("done"));
        f.writer.sendText(*a, "late");
        f.writer.beginBatch();
        f.writer.sendText(*a, "later");
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 close 1000 done"}));
    }

    void queuedFramesGoBeforeAPing()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.beginBatch();
        f.writer.sendText(*a, "data");
        f.writer.ping(*a);
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 write data", "1 ping"}));
    }

    void cutsOffASlowReader()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.sink.pending[a->id] = MaxPending + 1;
        f.writer.sendText(*a, "more");
        QCOMPARE(f.sink.events, events({"1 abort"}));
        QCOMPARE(a->stage, ClientSession::Stage::Closing);
        QCOMPARE(f.metrics.sessionsDroppedSlow.load(), quint64(1));
        f.writer.sendText(*a, "still more");
        QCOMPARE(f.sink.events, events({"1 abort"}));
    }

    void keepsAReaderAtTheLimit()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.sink.pending[a->id] = MaxPending;
        f.writer.sendText(*a, "fits");
        QCOMPARE(f.sink.events, events({"1 write fits"}));
        QCOMPARE(f.metrics.sessionsDroppedSlow.load(), quint64(0));
    }

    void slowReaderDoesNotHoldUpOthersInTheBatch()
    {
        Fixture f;
        auto slow = f.sessions.create();
        auto fast = f.sessions.create();
        f.sink.pending[slow->id] = MaxPending * 10;
        f.writer.beginBatch();
        f.writer.sendText(*slow, "a");
        f.writer.sendText(*fast, "b");
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 abort", "2 write b"}));
    }

    void sessionCutOffBeforeItsCloseGetsNoCloseFrame()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.beginBatch();
        f.writer.sendText(*a, "x");
        f.sink.pending[a->id] = MaxPending + 1;
        f.writer.close(*a, 1000, QStringLiteral("done"));
        f.writer.endBatch();
        QCOMPARE(f.sink.events, events({"1 abort"}));
    }

    void sessionGoneBeforeTheBatchEndsGetsNothing()
    {
        Fixture f;
        auto a = f.sessions.create();
        f.writer.beginBatch();
        f.writer.sendText(*a, "x");
        f.sessions.remove(a->id);
        f.writer.endBatch();
        QVERIFY(f.sink.events.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFrameWriter)
#include "tst_framewriter.moc"
