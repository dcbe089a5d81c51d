// SPDX-License-Identifier: Apache-2.0
// The peer relay's frames (PROTOCOL.md, "Peer relay"): each kind reads back as written (drops,
// preferences and delivery records, resume asks and answers), and malformed frames are refused
// naming the field.
#include "relay/peermessages.h"
#include "store/deliveryrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace herald;
using namespace herald::syncd;
using namespace Qt::StringLiterals;

namespace {

DeliveryJob deliveryJob()
{
    DeliveryJob job;
    job.id = u"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"_s;
    job.endpoint = u"hook"_s;
    job.notificationId = (qint64(1) << 53) - 1;
    job.payload = R"({"id":9007199254740991,"title":"t"})";
    job.createdMs = 1'800'000'000'000;
    job.takeovers = 3;
    job.status = DeliveryStatus::Failed;
    job.attempts = 8;
    job.lastAttemptMs = 1'800'000'005'000;
    job.lastStatus = 503;
    job.lastError = u"HTTP 503"_s;
    return job;
}

// A records frame of one record of `kind`, with `idAndMore` (raw JSON members) in it.
QByteArray recordFrame(const QByteArray &kind, const QByteArray &idAndMore)
{
    return R"({"type":"records","records":[{"origin":2,"seq":7,"kind":")" + kind +
           R"(","time":1,)" + idAndMore + "}]}";
}

// The one record a records frame carries, or why it carries something else.
Result<RelayRecord> onlyRecordOf(const QByteArray &frame)
{
    auto decoded = PeerCodec::decode(frame);
    if (!decoded)
        return tl::unexpected(decoded.error());
    const auto *read = std::get_if<PeerRecords>(&*decoded);
    if (!read || read->records.size() != 1)
        return tl::unexpected(Error::internal(u"not a records frame of one record"_s));
    return read->records.first();
}

} // namespace

class TestPeerCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropReadsBackAsWritten()
    {
        const PeerDrop drop{(qint64(1) << 53) - 1, u"alice"_s};
        const QByteArray frame = PeerCodec::encode(drop);
        QCOMPARE(frame, QByteArray(R"({"id":9007199254740991,"type":"drop","user":"alice"})"));
        auto decoded = PeerCodec::decode(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        auto *read = std::get_if<PeerDrop>(&*decoded);
        QVERIFY(read);
        QCOMPARE(read->id, drop.id);
        QCOMPARE(read->user, drop.user);
    }

    void preferencesRecordsReadBackAsWritten()
    {
        RelayRecord record{2,
                           7,
                           RelayRecord::Kind::Preferences,
                           0,
                           u"alice"_s,
                           1234,
                           std::nullopt,
                           uR"({"rules":[],"timezone":"UTC"})"_s};
        const QByteArray frame = PeerCodec::encode(PeerRecords{{record}});
        const auto decoded = onlyRecordOf(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        const RelayRecord &back = *decoded;
        QCOMPARE(back.kind, RelayRecord::Kind::Preferences);
        QCOMPARE(back.user, u"alice"_s);
        QCOMPARE(back.timeMs, 1234);
        QCOMPARE(back.payload, record.payload);
        // About a user, not a notification: an id, or no user, is refused.
        for (const QByteArray &bad :
             {QByteArray(R"({"type":"records","records":[{"origin":2,"seq":7,"kind":)"
                         R"("preferences","id":5,"time":1,"user":"alice"}]})"),
              QByteArray(R"({"type":"records","records":[{"origin":2,"seq":7,"kind":)"
                         R"("preferences","id":0,"time":1}]})")}) {
            auto refused = PeerCodec::decode(bad);
            QVERIFY2(!refused, bad.constData());
        }
    }

    void deliveryRecordsReadBackAsWritten_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("payload");
        const DeliveryJob job = deliveryJob();
        QTest::newRow("job") << int(RelayRecord::Kind::Job) << jobRecordPayload(job);
        QTest::newRow("jobsTaken")
            << int(RelayRecord::Kind::JobsTaken) << takenRecordPayload({job, job});
        QTest::newRow("jobsDone") << int(RelayRecord::Kind::JobsDone) << doneRecordPayload({job});
        // Gone at the sender: the record travels without its job.
        QTest::newRow("job gone at the sender") << int(RelayRecord::Kind::Job) << QString();
    }
    void deliveryRecordsReadBackAsWritten()
    {
        QFETCH(int, kind);
        QFETCH(QString, payload);
        const RelayRecord record{
            2, 7, RelayRecord::Kind(kind), 0, {}, 1'800'000'000'000, std::nullopt, payload};
        const QByteArray frame = PeerCodec::encode(PeerRecords{{record}});
        // On the wire: the jobs as a JSON object under "delivery", and id 0.
        const QJsonObject sent =
            QJsonDocument::fromJson(frame).object().value(u"records").toArray().first().toObject();
        QCOMPARE(sent.value(u"kind").toString(), relayKindName(record.kind));
        QCOMPARE(sent.value(u"id"), QJsonValue(0));
        QCOMPARE(sent.value(u"delivery"),
                 payload.isEmpty()
                     ? QJsonValue(QJsonValue::Undefined)
                     : QJsonValue(QJsonDocument::fromJson(payload.toUtf8()).object()));
        const auto decoded = onlyRecordOf(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        const RelayRecord &back = *decoded;
        QCOMPARE(back.kind, record.kind);
        QCOMPARE(back.origin, 2);
        QCOMPARE(back.seq, 7);
        QCOMPARE(back.notificationId, 0);
        QCOMPARE(back.timeMs, record.timeMs);
        QCOMPARE(back.payload, payload);
        // And the applying node reads the jobs in it.
        if (record.kind == RelayRecord::Kind::Job && !payload.isEmpty())
            QCOMPARE(readJobRecordPayload(back.payload).value_or(DeliveryJob()).payload,
                     deliveryJob().payload);
        else if (record.kind == RelayRecord::Kind::JobsTaken)
            QCOMPARE(readTakenRecordPayload(back.payload)
                         .value_or(QList<DeliveryJob>())
                         .value(1)
                         .takeovers,
                     3);
        else if (record.kind == RelayRecord::Kind::JobsDone)
            QCOMPARE(readDoneRecordPayload(back.payload)
                         .value_or(QList<DeliveryJob>())
                         .value(0)
                         .lastError,
                     u"HTTP 503"_s);
    }

    void badDeliveryRecordIsRefusedNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        for (const QByteArray kind : {"job", "jobsTaken", "jobsDone"}) {
            QTest::addRow("%s id 5", kind.constData())
                << recordFrame(kind, R"("id":5,"delivery":{})") << u"records[0].id"_s
                << u"must be 0 for a %1 record"_s.arg(QString::fromUtf8(kind));
            QTest::addRow("%s id -1", kind.constData())
                << recordFrame(kind, R"("id":-1)") << u"records[0].id"_s << u"must be 0"_s;
            QTest::addRow("%s delivery an array", kind.constData())
                << recordFrame(kind, R"("id":0,"delivery":[])") << u"records[0].delivery"_s
                << u"must be an object"_s;
        }
        QTest::newRow("unknown kind") << recordFrame("jobs", R"("id":0)") << u"records[0].kind"_s
                                      << u"preferences, digest, job, jobsTaken or jobsDone"_s;
    }
    void badDeliveryRecordIsRefusedNamingTheField()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, field);
        QFETCH(QString, says);
        auto decoded = PeerCodec::decode(frame);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, ErrorCode::BadRequest);
        const QString message = decoded.error().message;
        QVERIFY2(message.startsWith(field + u':') && message.contains(says), qPrintable(message));
    }

    void resumeAskReadsBackAsWritten()
    {
        const ResumeAsk ask{42,
                            3,
                            u"alice"_s,
                            u"laptop"_s,
                            (qint64(1) << 53) - 1,
                            {u"ops/deploys"_s, u"ops/builds"_s}};
        const QByteArray frame = PeerCodec::encode(ask);
        QCOMPARE(frame, QByteArray(R"({"asker":3,"channels":["ops/deploys","ops/builds"],)"
                                   R"("clientId":"laptop","id":42,"lastId":9007199254740991,)"
                                   R"("type":"resumeAsk","user":"alice"})"));
        auto decoded = PeerCodec::decode(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        auto *read = std::get_if<PeerResumeAsk>(&*decoded);
        QVERIFY(read);
        QCOMPARE(read->id, ask.id);
        QCOMPARE(read->asker, ask.asker);
        QCOMPARE(read->user, ask.user);
        QCOMPARE(read->clientId, ask.clientId);
        QCOMPARE(read->lastId, ask.lastId);
        QCOMPARE(read->channelKeys, ask.channelKeys);
    }

    void resumeAnswerReadsBackAsWritten()
    {
        const ResumeAnswer answer{42, 3, 1, {{1, 4096}, {63, (qint64(1) << 53) - 1}}};
        const QByteArray frame = PeerCodec::encode(answer);
        QCOMPARE(frame, QByteArray(R"({"answerer":1,"asker":3,)"
                                   R"("from":{"1":4096,"63":9007199254740991},"id":42,)"
                                   R"("type":"resumeAnswer"})"));
        auto decoded = PeerCodec::decode(frame);
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        auto *read = std::get_if<PeerResumeAnswer>(&*decoded);
        QVERIFY(read);
        QCOMPARE(read->id, answer.id);
        QCOMPARE(read->asker, answer.asker);
        QCOMPARE(read->answerer, answer.answerer);
        QCOMPARE(read->fromIdByOrigin, answer.fromIdByOrigin);
        // An answer that names no origin: the device has none of any origin's.
        auto empty = PeerCodec::decode(PeerCodec::encode(ResumeAnswer{7, 1, 2, {}}));
        QVERIFY(empty && std::get<PeerResumeAnswer>(*empty).fromIdByOrigin.isEmpty());
    }

    void badResumeFrameIsRefusedNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("field");
        const QByteArray ask = R"("type":"resumeAsk","id":1,"asker":2,"user":"u","clientId":"c")";
        QTest::newRow("ask without lastId")
            << u"{"_s.toUtf8() + ask + R"(,"channels":[]})" << u"lastId"_s;
        QTest::newRow("ask lastId negative")
            << u"{"_s.toUtf8() + ask + R"(,"lastId":-1,"channels":[]})" << u"lastId"_s;
        QTest::newRow("ask without channels")
            << u"{"_s.toUtf8() + ask + R"(,"lastId":5})" << u"channels"_s;
        QTest::newRow("ask channel not a string")
            << u"{"_s.toUtf8() + ask + R"(,"lastId":5,"channels":["a/b",3]})" << u"channels[1]"_s;
        QTest::newRow("ask asker 64")
            << QByteArray(R"({"type":"resumeAsk","id":1,"asker":64,"user":"u","clientId":"c",)"
                          R"("lastId":5,"channels":[]})")
            << u"asker"_s;
        QTest::newRow("ask without clientId")
            << QByteArray(R"({"type":"resumeAsk","id":1,"asker":2,"user":"u","lastId":5,)"
                          R"("channels":[]})")
            << u"clientId"_s;
        const QByteArray answer = R"("type":"resumeAnswer","id":1,"asker":2,"answerer":3)";
        QTest::newRow("answer without from")
            << u"{"_s.toUtf8() + answer + u"}"_s.toUtf8() << u"from"_s;
        QTest::newRow("answer origin 64")
            << u"{"_s.toUtf8() + answer + R"(,"from":{"64":5}})" << u"from"_s;
        QTest::newRow("answer origin not a number")
            << u"{"_s.toUtf8() + answer + R"(,"from":{"x":5}})" << u"from"_s;
        QTest::newRow("answer id a string")
            << u"{"_s.toUtf8() + answer + R"(,"from":{"1":"5"}})" << u"from.1"_s;
        QTest::newRow("answer id above 2^53-1")
            << u"{"_s.toUtf8() + answer + R"(,"from":{"1":9007199254740993}})" << u"from.1"_s;
        QTest::newRow("answer id a fraction")
            << u"{"_s.toUtf8() + answer + R"(,"from":{"1":5.5}})" << u"from.1"_s;
        QTest::newRow("answer without answerer")
            << QByteArray(R"({"type":"resumeAnswer","id":1,"asker":2,"from":{}})") << u"answerer"_s;
        QTest::newRow("answer id 0")
            << QByteArray(R"({"type":"resumeAnswer","id":0,"asker":2,"answerer":3,"from":{}})")
            << u"id"_s;
    }
    void badResumeFrameIsRefusedNamingTheField() { badDropIsRefusedNamingTheField(); }

    void badDropIsRefusedNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("field");
        QTest::newRow("no id") << QByteArray(R"({"type":"drop","user":"alice"})") << u"id"_s;
        QTest::newRow("id 0") << QByteArray(R"({"type":"drop","id":0,"user":"alice"})") << u"id"_s;
        QTest::newRow("id above 2^53-1")
            << QByteArray(R"({"type":"drop","id":9007199254740993,"user":"alice"})") << u"id"_s;
        QTest::newRow("no user") << QByteArray(R"({"type":"drop","id":5})") << u"user"_s;
        QTest::newRow("user not a string")
            << QByteArray(R"({"type":"drop","id":5,"user":7})") << u"user"_s;
    }
    void badDropIsRefusedNamingTheField()
    {
        QFETCH(QByteArray, frame);
        QFETCH(QString, field);
        auto decoded = PeerCodec::decode(frame);
        QVERIFY(!decoded);
        QCOMPARE(decoded.error().code, ErrorCode::BadRequest);
        QVERIFY2(decoded.error().message.startsWith(field + u':'),
                 qPrintable(decoded.error().message));
    }
};

QTEST_GUILESS_MAIN(TestPeerCodec)
#include "tst_peercodec.moc"
