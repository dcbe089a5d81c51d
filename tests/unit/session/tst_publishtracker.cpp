// SPDX-License-Identifier: Apache-2.0
#include "session/publishtracker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace herald;
using namespace Qt::StringLiterals;

namespace {

Notification buildNotification(const QString &title)
{
    Notification n;
    n.application = u"ci"_s;
    n.channel = u"builds"_s;
    n.title = title;
    n.persistent = false;
    return n;
}

ErrorMessage refusal(const QString &ref)
{
    return {u"forbidden"_s, u"application: not this token's"_s, ref};
}

} // namespace

class TestPublishTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void sendsOneFramePerPublishWithItsOwnRef();
    void matchesAnswersByRefInAnyOrder();
    void refusalWithRefIsAPublishFailure();
    void errorWithoutRefIsNotItsBusiness();
    void answersToUnknownRefsAreIgnored();
    void notConnectedFailsAfterPublishReturned();
    void frameOverTheLimitFailsWithoutBeingSent();
    void connectionLostFailsTheUnansweredInOrder();
    void answerAfterTheConnectionWasLostIsIgnored();

private:
    std::unique_ptr<PublishTracker> m_tracker;
    QList<QJsonObject> m_sent;
};

void TestPublishTracker::init()
{
    m_sent.clear();
    m_tracker = std::make_unique<PublishTracker>(
        [this](const QString &frame) {
            m_sent.append(QJsonDocument::fromJson(frame.toUtf8()).object());
        },
        64 * 1024);
}

void TestPublishTracker::sendsOneFramePerPublishWithItsOwnRef()
{
    QCOMPARE(m_tracker->publish(buildNotification(u"first"_s), true), u"p-1"_s);
    QCOMPARE(m_tracker->publish(buildNotification(u"second"_s), true), u"p-2"_s);
    QCOMPARE(m_sent.size(), 2);
    QCOMPARE(m_sent.at(1).value(u"type"_s).toString(), u"publish"_s);
    QCOMPARE(m_sent.at(1).value(u"ref"_s).toString(), u"p-2"_s);
    const QJsonObject notification = m_sent.at(1).value(u"notification"_s).toObject();
    QCOMPARE(notification.value(u"title"_s).toString(), u"second"_s);
    QCOMPARE(notification.value(u"persistent"_s).toBool(true), false);
    QVERIFY(!notification.contains(u"id"_s)); // the server's
    QCOMPARE(m_tracker->unansweredCount(), 2);
}

void TestPublishTracker::matchesAnswersByRefInAnyOrder()
{
    QSignalSpy published(m_tracker.get(), &PublishTracker::published);
    m_tracker->publish(buildNotification(u"a"_s), true);
    m_tracker->publish(buildNotification(u"b"_s), true);
    m_tracker->answered({u"p-2"_s, 20});
    m_tracker->answered({u"p-1"_s, 10});
    QCOMPARE(published.size(), 2);
    QCOMPARE(published.at(0), (QList<QVariant>{u"p-2"_s, QVariant::fromValue(NotificationId(20))}));
    QCOMPARE(published.at(1), (QList<QVariant>{u"p-1"_s, QVariant::fromValue(NotificationId(10))}));
    QCOMPARE(m_tracker->unansweredCount(), 0);
}

void TestPublishTracker::refusalWithRefIsAPublishFailure()
{
    QSignalSpy failed(m_tracker.get(), &PublishTracker::publishFailed);
    const QString ref = m_tracker->publish(buildNotification(u"a"_s), true);
    QVERIFY(m_tracker->refused(refusal(ref)));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0),
             (QList<QVariant>{ref, u"forbidden"_s, u"application: not this token's"_s}));
    QCOMPARE(m_tracker->unansweredCount(), 0);
}

void TestPublishTracker::errorWithoutRefIsNotItsBusiness()
{
    QSignalSpy failed(m_tracker.get(), &PublishTracker::publishFailed);
    m_tracker->publish(buildNotification(u"a"_s), true);
    QVERIFY(!m_tracker->refused({u"bad_request"_s, u"type: already registered"_s, {}}));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(m_tracker->unansweredCount(), 1);
}

void TestPublishTracker::answersToUnknownRefsAreIgnored()
{
    QSignalSpy published(m_tracker.get(), &PublishTracker::published);
    QSignalSpy failed(m_tracker.get(), &PublishTracker::publishFailed);
    m_tracker->publish(buildNotification(u"a"_s), true);
    m_tracker->answered({u"p-7"_s, 70});
    m_tracker->answered({u"x-1"_s, 10});
    QVERIFY(m_tracker->refused(refusal(u"p-7"_s))); // a publish's answer, just not ours
    m_tracker->answered({u"p-1"_s, 10});
    m_tracker->answered({u"p-1"_s, 11}); // answered once only
    QCOMPARE(published.size(), 1);
    QCOMPARE(failed.size(), 0);
}

void TestPublishTracker::notConnectedFailsAfterPublishReturned()
{
    QSignalSpy failed(m_tracker.get(), &PublishTracker::publishFailed);
    const QString ref = m_tracker->publish(buildNotification(u"a"_s), false);
    QCOMPARE(failed.size(), 0); // not before the caller holds the ref
    QVERIFY(failed.wait(1000));
    QCOMPARE(failed.at(0).at(0).toString(), ref);
    QCOMPARE(failed.at(0).at(1).toString(), u"unavailable"_s);
    QVERIFY2(failed.at(0).at(2).toString().contains(u"nothing was sent"_s),
             qPrintable(failed.at(0).at(2).toString()));
    QVERIFY(m_sent.isEmpty());
    QCOMPARE(m_tracker->unansweredCount(), 0);
}

void TestPublishTracker::frameOverTheLimitFailsWithoutBeingSent()
{
    PublishTracker small([this](const QString &) { m_sent.append(QJsonObject()); }, 200);
    QSignalSpy failed(&small, &PublishTracker::publishFailed);
    const QString ref = small.publish(buildNotification(QString(300, u'x')), true);
    QVERIFY(failed.wait(1000));
    QCOMPARE(failed.at(0).at(0).toString(), ref);
    QCOMPARE(failed.at(0).at(1).toString(), u"bad_request"_s);
    QVERIFY(failed.at(0).at(2).toString().startsWith(u"notification: "_s));
    QVERIFY(m_sent.isEmpty());
    QCOMPARE(small.publish(buildNotification(u"short"_s), true), u"p-2"_s);
    QCOMPARE(m_sent.size(), 1);
}

void TestPublishTracker::connectionLostFailsTheUnansweredInOrder()
{
    QSignalSpy failed(m_tracker.get(), &PublishTracker::publishFailed);
    for (int i = 0; i < 12; ++i)
        m_tracker->publish(buildNotification(u"n"_s), true);
    m_tracker->answered({u"p-2"_s, 2});
    m_tracker->connectionLost();
    QCOMPARE(failed.size(), 11); // at once, not posted
    QCOMPARE(failed.at(0).at(0).toString(), u"p-1"_s);
    QCOMPARE(failed.at(1).at(0).toString(), u"p-3"_s);
    QCOMPARE(failed.at(10).at(0).toString(), u"p-12"_s); // in number order, not text order
    for (const QList<QVariant> &args : failed) {
        QCOMPARE(args.at(1).toString(), u"unavailable"_s);
        QVERIFY2(args.at(2).toString().contains(u"unknown"_s), qPrintable(args.at(2).toString()));
    }
    QCOMPARE(m_tracker->unansweredCount(), 0);
}

void TestPublishTracker::answerAfterTheConnectionWasLostIsIgnored()
{
    QSignalSpy published(m_tracker.get(), &PublishTracker::published);
    m_tracker->publish(buildNotification(u"a"_s), true);
    m_tracker->connectionLost();
    m_tracker->answered({u"p-1"_s, 1});
    QCOMPARE(published.size(), 0);
    QCOMPARE(m_tracker->publish(buildNotification(u"b"_s), true), u"p-2"_s); // never reused
}

QTEST_GUILESS_MAIN(TestPublishTracker)
#include "tst_publishtracker.moc"
