// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "codec/jsoncodec.h"
#include "core/peerresume.h"
#include "protocol/error.h"
#include "store/relayrecord.h"

#include <QByteArray>
#include <QList>

#include <variant>

namespace herald::syncd {

// The frames nodes exchange over a peer link (PROTOCOL.md, "Peer relay"; docs/RELAY.md).
// The dialling node sends peerHello first; the other answers with its own. Then each side
// sends sync with what it holds, and the other sends what it lacks as records frames, then
// live records and transients. have tells the sender what has been taken in.
struct PeerHello
{
    int node = 0;
    QString cluster;
    QString secret;
};

struct PeerSync
{
    HaveVector have;
};

struct PeerHave
{
    HaveVector have;
};

struct PeerRecords
{
    QList<RelayRecord> records;
};

// Transient notifications: relayed live only, never stored, never resent.
struct PeerTransient
{
    QList<Notification> notifications;
};

// POST /api/v1/users/{user}/drop (and deleting a user) made on some node: close the user's
// sessions. Flooded live like transients; `id` (random, below 2^53) lets a node that hears it
// twice act once.
struct PeerDrop
{
    qint64 id = 0;
    QString user;
};

// A device resumes on a node other than its last session's (core/RemoteResume): resumeAsk is
// flooded like drop; a node that can tell floods a resumeAnswer back, which the asker takes.
using PeerResumeAsk = ResumeAsk;
using PeerResumeAnswer = ResumeAnswer;

using PeerMessage = std::variant<PeerHello, PeerSync, PeerHave, PeerRecords, PeerTransient,
                                 PeerDrop, PeerResumeAsk, PeerResumeAnswer>;

class PeerCodec
{
public:
    static QByteArray encode(const PeerMessage &message);
    // BadRequest naming the field for anything malformed.
    static Result<PeerMessage> decode(const QByteArray &frame);
};

} // namespace herald::syncd
