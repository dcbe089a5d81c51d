// SPDX-License-Identifier: Apache-2.0
#include "publishintake.h"

#include "codec/jsoncodec.h"
#include "core/notificationservice.h"
#include "metrics/metrics.h"
#include "net/wsframe.h"
#include "ws/framewriter.h"
#include "ws/sessionindex.h"

#include <QObject>

#include <memory>
#include <utility>

namespace herald::syncd {

// The core's side of one batch, on the service's thread: publishes each request in the order
// it was read and sends the answers back. Those the core gives during the batch (transient
// publishes that need no store) go back together; later ones (after a commit) are gathered by
// the intake (holdLateAnswer).
class PublishIntake::Batch : public std::enable_shared_from_this<Batch>
{
public:
    Batch(PublishIntake *intake, QObject *context, NotificationService &service)
        : m_intake(intake), m_context(context), m_service(service)
    {
    }

    void publishAll(std::vector<Request> requests, const Admission &admission)
    {
        auto self = shared_from_this(); // until the last answer is in
        m_collected.reserve(requests.size());
        for (Request &request : requests) {
            auto done = [self, sessionId = request.sessionId,
                         ref = std::move(request.ref)](Result<NotificationId> id) {
                self->answered({sessionId, ref, std::move(id)});
            };
            if (admission) {
                if (auto refused = admission(request.principal)) {
                    done(tl::unexpected(*refused));
                    continue;
                }
            }
            QList<Notification> one; // moved in: a braced list would copy it
            one.append(std::move(request.notification));
            m_service.publish(std::move(one), false, request.principal,
                              [done](Result<QList<Notification>> stored) {
                                  if (!stored)
                                      return done(tl::unexpected(stored.error()));
                                  done(stored->constFirst().id);
                              });
        }
        m_collecting = false;
        if (!m_collected.empty())
            sendBack(std::exchange(m_collected, {}));
    }

private:
    void answered(Answer answer)
    {
        if (m_collecting)
            m_collected.push_back(std::move(answer));
        else
            m_intake->holdLateAnswer(std::move(answer), m_service, m_context);
    }

    void sendBack(std::vector<Answer> answers)
    {
        PublishIntake *intake = m_intake;
        QMetaObject::invokeMethod(
            m_context, [intake, answers = std::move(answers)] { intake->takeAnswers(answers); },
            Qt::QueuedConnection);
    }

    PublishIntake *m_intake;
    QObject *m_context;
    NotificationService &m_service;
    bool m_collecting = true;
    std::vector<Answer> m_collected;
};

PublishIntake::PublishIntake(Dependencies dependencies) : m_deps(std::move(dependencies)) {}

void PublishIntake::submit(ClientSession &session, PublishMessage message)
{
    if (!session.principal)
        return refuse(session, message.ref, Error::internal(QStringLiteral("not registered")));
    // One queued call carries everything read before the worker's loop comes round again.
    if (m_pending.empty()) {
        QMetaObject::invokeMethod(
            m_deps.context, [this] { sendPending(); }, Qt::QueuedConnection);
        m_pending.reserve(ExpectedBatch); // not grown a request at a time
    }
    m_pending.push_back(
        {session.id, std::move(message.ref), *session.principal, std::move(message.notification)});
    if (++session.unansweredPublishes >= MaxUnanswered && !session.readingPaused &&
        session.connection) {
        session.readingPaused = true;
        session.connection->setReading(false);
        ++m_deps.metrics.wsPublishPauses;
    }
}

void PublishIntake::refuse(ClientSession &session, const QString &ref, const Error &error)
{
    answer(session, ref, tl::unexpected(error));
}

void PublishIntake::sendPending()
{
    if (m_pending.empty())
        return;
    NotificationService &service = m_deps.notifications;
    QMetaObject::invokeMethod(
        &service,
        [batch = std::make_shared<Batch>(this, m_deps.context, service),
         requests = std::exchange(m_pending, {}), admission = m_deps.admission]() mutable {
            batch->publishAll(std::move(requests), admission);
        },
        Qt::QueuedConnection);
}

void PublishIntake::holdLateAnswer(Answer answer, NotificationService &service, QObject *context)
{
    // The answers of one commit reach this thread one by one, in one turn of its loop: they
    // go back to the worker together, at the end of that turn.
    if (m_lateAnswers.empty()) {
        QMetaObject::invokeMethod(
            &service,
            [this, context] {
                QMetaObject::invokeMethod(
                    context,
                    [this, answers = std::exchange(m_lateAnswers, {})] { takeAnswers(answers); },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
    m_lateAnswers.push_back(std::move(answer));
}

void PublishIntake::takeAnswers(const std::vector<Answer> &answers)
{
    m_deps.writer.beginBatch(); // a session's answers go out in one write
    for (const Answer &a : answers) {
        auto session = m_deps.sessions.find(a.sessionId);
        if (!session)
            continue; // gone: its publishes stand, their answers have no one to go to
        --session->unansweredPublishes;
        if (session->readingPaused && session->unansweredPublishes <= MaxUnanswered / 2 &&
            session->connection) {
            session->readingPaused = false;
            session->connection->setReading(true);
        }
        answer(*session, a.ref, a.id);
    }
    m_deps.writer.endBatch();
}

void PublishIntake::answer(ClientSession &session, const QString &ref,
                           const Result<NotificationId> &id)
{
    if (id) {
        ++m_deps.metrics.wsPublishesPublished;
        // One per publish: the frame is written in one buffer, header and all.
        const ServerMessage published = PublishedMessage{ref, *id};
        m_deps.writer.sendFrame(session, webSocketTextFrameOf([&published](QByteArray &out) {
                                    JsonCodec::encodeInto(out, published);
                                }));
        return;
    }
    ++m_deps.metrics.wsPublishesRefused;
    m_deps.writer.sendText(session, JsonCodec::encode(ErrorMessage{errorCodeName(id.error().code),
                                                                   id.error().message, ref}));
}

} // namespace herald::syncd
