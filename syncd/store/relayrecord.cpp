// SPDX-License-Identifier: Apache-2.0
#include "store/relayrecord.h"

using namespace Qt::StringLiterals;

namespace herald::syncd {

QString relayKindName(RelayRecord::Kind kind)
{
    switch (kind) {
    case RelayRecord::Kind::Notification:
        return u"notification"_s;
    case RelayRecord::Kind::Receipt:
        return u"receipt"_s;
    case RelayRecord::Kind::Deleted:
        return u"deleted"_s;
    case RelayRecord::Kind::Seen:
        return u"seen"_s;
    case RelayRecord::Kind::Hidden:
        return u"hidden"_s;
    case RelayRecord::Kind::Cleared:
        return u"cleared"_s;
    case RelayRecord::Kind::Preferences:
        return u"preferences"_s;
    case RelayRecord::Kind::Digest:
        return u"digest"_s;
    case RelayRecord::Kind::Job:
        return u"job"_s;
    case RelayRecord::Kind::JobsTaken:
        return u"jobsTaken"_s;
    case RelayRecord::Kind::JobsDone:
        return u"jobsDone"_s;
    }
    return {};
}

std::optional<RelayRecord::Kind> relayKindFromName(const QString &name)
{
    for (auto kind :
         {RelayRecord::Kind::Notification, RelayRecord::Kind::Receipt, RelayRecord::Kind::Deleted,
          RelayRecord::Kind::Seen, RelayRecord::Kind::Hidden, RelayRecord::Kind::Cleared,
          RelayRecord::Kind::Preferences, RelayRecord::Kind::Digest, RelayRecord::Kind::Job,
          RelayRecord::Kind::JobsTaken, RelayRecord::Kind::JobsDone}) {
        if (relayKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

} // namespace herald::syncd
