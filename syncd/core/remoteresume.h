// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/peerresume.h"
#include "protocol/messages.h"

#include <QHash>
#include <QMutex>
#include <QPointer>

#include <functional>

class QObject;

namespace herald::syncd {

class PeerOutlet;
class ResumePoint;

// A device that resumes on a node other than the one its last session was on: asks the other
// nodes where it stopped, so that it is sent what it missed and nothing it has (its client
// may not drop repeats). And the other side: answers such asks of other nodes from this
// node's ResumePoint. Thread-safe.
class RemoteResume final : public ResumeWitness
{
public:
    // A peer that knows answers within a round trip on its link (11-23 ms on loopback, 120 ms
    // under ASan); a node that is gone never does, and the resume then starts from the
    // margin after this wait, which leaves room for a loaded machine.
    static constexpr int AnswerWaitMs = 500;

    using Done = std::function<void(std::optional<QMap<int, NotificationId>>)>;

    RemoteResume(int node, PeerOutlet &peers, ResumePoint &resumePoint)
        : m_node(node), m_peers(peers), m_resumePoint(resumePoint)
    {
    }

    // Runs `done` in `context`'s thread with the first answer, or with nullopt when no peer
    // link is live or none answered within AnswerWaitMs (at once, without asking, when
    // `context` is null). Not at all once `context` is gone.
    void ask(const QString &user, const RegisterMessage &message, QObject *context, Done done);

    // ResumeWitness
    std::optional<QMap<int, NotificationId>> witness(const ResumeAsk &ask) override;
    void answered(const ResumeAnswer &answer) override;

    qsizetype waiting() const;

private:
    struct Pending
    {
        QPointer<QObject> context;
        Done done;
    };
    std::optional<Pending> take(qint64 id);

    const int m_node;
    PeerOutlet &m_peers;
    ResumePoint &m_resumePoint;
    mutable QMutex m_mutex;
    QHash<qint64, Pending> m_pending;
};

} // namespace herald::syncd
