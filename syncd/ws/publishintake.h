// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "auth/principal.h"
#include "model/notification.h"
#include "protocol/error.h"
#include "protocol/messages.h"
#include "ws/clientsession.h"

#include <QString>

#include <functional>
#include <optional>
#include <vector>

class QObject;

namespace herald::syncd {

class FrameWriter;
class NotificationService;
class SessionIndex;
struct Metrics;

// The `publish` frames of a worker's sessions (PROTOCOL.md, Publishing over the WebSocket):
// it hands them to the core and answers each with `published` or an `error` frame carrying
// its ref. The core decides everything about a publish; this class only carries it across
// threads, in batches: the publishes a worker reads in one go reach the core's thread in one
// queued call, and the answers the core gives at once come back in one, as do those that one
// commit gives later.
//
// A session with MaxUnanswered publishes unanswered is not read from until half of them are
// answered, so a producer that sends faster than the daemon answers is slowed down by TCP.
//
// Threads: the worker's thread, but for the core's side of a batch, which runs on the
// service's thread (where NotificationService::publish must be called) and answers in
// `context`'s.
class PublishIntake
{
public:
    static constexpr int MaxUnanswered = PublishMessage::MaxUnanswered;
    // Room made at once for the publishes of one batch; a bigger batch grows as usual.
    static constexpr size_t ExpectedBatch = 16;

    // On the service's thread, before each publish: the request rate of the publisher's token.
    // An error refuses the publish with it.
    using Admission = std::function<std::optional<Error>(const Principal &principal)>;
    struct Dependencies
    {
        NotificationService &notifications;
        SessionIndex &sessions;
        FrameWriter &writer;
        Metrics &metrics;
        QObject *context; // the worker, which owns the intake and outlives its answers
        Admission admission;
    };
    explicit PublishIntake(Dependencies dependencies);

    // A publish frame of a registered session, read and checked on the wire.
    void submit(ClientSession &session, PublishMessage message);
    // A publish frame refused before it reached the core; `ref` may be empty (unreadable).
    void refuse(ClientSession &session, const QString &ref, const Error &error);

private:
    struct Request
    {
        quint64 sessionId;
        QString ref;
        Principal principal;
        Notification notification;
    };
    struct Answer
    {
        quint64 sessionId;
        QString ref;
        Result<NotificationId> id;
    };
    class Batch;

    void sendPending();
    // On the service's thread: an answer given after its batch (a persistent publish's, after
    // the commit).
    void holdLateAnswer(Answer answer, NotificationService &service, QObject *context);
    void takeAnswers(const std::vector<Answer> &answers);
    void answer(ClientSession &session, const QString &ref, const Result<NotificationId> &id);

    Dependencies m_deps;
    std::vector<Request> m_pending;    // read, not sent to the core yet
    std::vector<Answer> m_lateAnswers; // the service thread's: to go back together
};

} // namespace herald::syncd
