// SPDX-License-Identifier: Apache-2.0
#include "model/rollupmatch.h"

using namespace Qt::StringLiterals;

namespace herald {

bool RollupMatch::matches(const Notification &n) const
{
    return n.application == application && (channel.isEmpty() || n.channel == channel) &&
           (code.isEmpty() || n.code == code);
}

QString RollupMatch::groupValue(const Notification &n) const
{
    if (matchOn.isEmpty())
        return {};
    if (matchOn.startsWith(u"tags."_s))
        return n.tags.value(matchOn.mid(5));
    if (matchOn == u"code")
        return n.code;
    if (matchOn == u"channel")
        return n.channel;
    if (matchOn == u"level")
        return n.level;
    if (matchOn == u"priority")
        return priorityName(n.priority);
    return n.title;
}

} // namespace herald
