// SPDX-License-Identifier: Apache-2.0
#include "delivery/sendqueue.h"

#include <QTest>

using namespace Qt::StringLiterals;
using herald::syncd::SendQueue;
using herald::syncd::SendRequest;

namespace {
SendRequest request(quint64 tag, const QString &endpoint)
{
    SendRequest r;
    r.tag = tag;
    r.endpoint = endpoint;
    return r;
}

quint64 nextTag(SendQueue &queue)
{
    const std::optional<SendRequest> next = queue.takeNext();
    return next ? next->tag : 0;
}
} // namespace

class TestSendQueue : public QObject
{
    Q_OBJECT

private slots:
    void startsFirstComeFirstServed()
    {
        SendQueue queue(10, 10);
        for (quint64 tag = 1; tag <= 4; ++tag)
            queue.push(request(tag, tag % 2 ? u"a"_s : u"b"_s));
        for (quint64 tag = 1; tag <= 4; ++tag)
            QCOMPARE(nextTag(queue), tag);
        QCOMPARE(nextTag(queue), 0u);
        QCOMPARE(queue.running(), 4);
        QCOMPARE(queue.waiting(), 0);
    }

    void boundsEachEndpoint()
    {
        SendQueue queue(10, 2);
        for (quint64 tag = 1; tag <= 4; ++tag)
            queue.push(request(tag, u"a"_s));
        QCOMPARE(nextTag(queue), 1u);
        QCOMPARE(nextTag(queue), 2u);
        QCOMPARE(nextTag(queue), 0u); // "a" is full
        QCOMPARE(queue.waiting(), 2);
        queue.release(u"a"_s);
        QCOMPARE(nextTag(queue), 3u);
        QCOMPARE(nextTag(queue), 0u);
    }

    void aFullEndpointDoesNotHoldUpOthers()
    {
        SendQueue queue(10, 1);
        queue.push(request(1, u"slow"_s));
        queue.push(request(2, u"slow"_s));
        queue.push(request(3, u"fast"_s));
        queue.push(request(4, u"slow"_s));
        queue.push(request(5, u"fast"_s));
        QCOMPARE(nextTag(queue), 1u);
        QCOMPARE(nextTag(queue), 3u);
        QCOMPARE(nextTag(queue), 0u);
        queue.release(u"fast"_s);
        QCOMPARE(nextTag(queue), 5u);
        queue.release(u"slow"_s);
        QCOMPARE(nextTag(queue), 2u); // the oldest of the endpoint that has room
    }

    void boundsAllEndpointsTogether()
    {
        SendQueue queue(2, 8);
        queue.push(request(1, u"a"_s));
        queue.push(request(2, u"b"_s));
        queue.push(request(3, u"c"_s));
        QCOMPARE(nextTag(queue), 1u);
        QCOMPARE(nextTag(queue), 2u);
        QCOMPARE(nextTag(queue), 0u);
        queue.release(u"a"_s);
        QCOMPARE(nextTag(queue), 3u);
        QCOMPARE(queue.running(), 2);
    }

    void oldestWinsAcrossEndpointsWhenSlotsFree()
    {
        SendQueue queue(1, 1);
        queue.push(request(1, u"a"_s));
        queue.push(request(2, u"b"_s));
        queue.push(request(3, u"a"_s));
        QCOMPARE(nextTag(queue), 1u);
        queue.release(u"a"_s);
        QCOMPARE(nextTag(queue), 2u);
        queue.release(u"b"_s);
        QCOMPARE(nextTag(queue), 3u);
    }

    void releaseOfUnknownEndpointIsHarmless()
    {
        SendQueue queue(1, 1);
        queue.release(u"nobody"_s);
        QCOMPARE(queue.running(), 0);
        queue.push(request(1, u"a"_s));
        QCOMPARE(nextTag(queue), 1u);
        queue.release(u"a"_s);
        queue.release(u"a"_s); // once too often
        QCOMPARE(queue.running(), 0);
    }

    void boundsBelowOneMeanOne()
    {
        SendQueue queue(0, 0);
        queue.push(request(1, u"a"_s));
        queue.push(request(2, u"a"_s));
        QCOMPARE(nextTag(queue), 1u);
        QCOMPARE(nextTag(queue), 0u);
    }
};

QTEST_GUILESS_MAIN(TestSendQueue)
#include "tst_sendqueue.moc"
