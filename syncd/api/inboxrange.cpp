// SPDX-License-Identifier: Apache-2.0
#include "api/inboxrange.h"

#include "protocol/validator.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace herald::syncd {

Result<InboxRange> InboxRange::parse(const QByteArray &header, int maxLimit)
{
    static const QRegularExpression pattern(
        u"^\\s*id\\s+(\\]?)([0-9]{0,16})\\.\\.\\s*(?:;\\s*max\\s*=\\s*([0-9]{1,9})\\s*)?$"_s);
    const auto match = pattern.match(QString::fromLatin1(header));
    if (!match.hasMatch())
        return fail(ErrorCode::BadRequest,
                    u"Range: must look like 'id ]ID..; max=N' (or 'id ..; max=N')"_s);
    InboxRange range;
    const bool exclusive = !match.captured(1).isEmpty();
    if (!match.captured(2).isEmpty()) {
        const NotificationId id = match.captured(2).toLongLong();
        if (!Validator::isValidId(id))
            return fail(ErrorCode::BadRequest, u"Range: %1 is not a notification id"_s.arg(id));
        range.beforeId = exclusive ? id : id + 1;
    } else if (exclusive) {
        return fail(ErrorCode::BadRequest, u"Range: ']' needs an id after it"_s);
    }
    if (!match.captured(3).isEmpty()) {
        const int max = match.captured(3).toInt();
        if (max < 1 || max > maxLimit)
            return fail(ErrorCode::BadRequest, u"Range: max must be 1 to %1"_s.arg(maxLimit));
        range.max = max;
    }
    return range;
}

QByteArray InboxRange::next(NotificationId after, int max)
{
    return "id ]" + QByteArray::number(after) + "..; max=" + QByteArray::number(max);
}

} // namespace herald::syncd
