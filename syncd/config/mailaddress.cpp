// SPDX-License-Identifier: Apache-2.0
#include "config/mailaddress.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

constexpr int MaxLocalPart = 64;
constexpr int MaxLabel = 63;

// RFC 5322 atext: what a dot-atom's atoms are made of.
bool isAtext(QChar c)
{
    static const QString others = u"!#$%&'*+-/=?^_`{|}~"_s;
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           others.contains(c);
}

bool isLabelChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'-';
}

std::optional<QString> localPartProblem(const QString &local)
{
    if (local.isEmpty() || local.size() > MaxLocalPart)
        return u"the part before @ must have 1 to %1 characters"_s.arg(MaxLocalPart);
    if (local.startsWith(u'.') || local.endsWith(u'.') || local.contains(u".."_s))
        return u"the part before @ must not start or end with a dot or have two in a row"_s;
    for (const QChar c : local) {
        if (c != u'.' && !isAtext(c))
            return u"'%1' is not allowed before @"_s.arg(c);
    }
    return std::nullopt;
}

std::optional<QString> domainProblem(const QString &domain)
{
    if (domain.isEmpty())
        return u"a domain is needed after @"_s;
    for (const QString &label : domain.split(u'.')) {
        if (label.isEmpty() || label.size() > MaxLabel || label.startsWith(u'-') ||
            label.endsWith(u'-'))
            return u"'%1' is not a domain name"_s.arg(domain);
        for (const QChar c : label) {
            if (!isLabelChar(c))
                return u"'%1' is not a domain name (an internationalized one goes in its xn-- "
                       "form)"_s.arg(domain);
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<QString> MailAddress::problem(const QString &address)
{
    if (address.isEmpty())
        return u"must not be empty"_s;
    if (address.size() > MaxLength)
        return u"at most %1 characters"_s.arg(MaxLength);
    for (const QChar c : address) {
        // Checked before anything is echoed: CR, LF and the like never reach a message.
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return u"a bare address (local@domain): no spaces, line breaks or non-ASCII "
                   "characters"_s;
    }
    const qsizetype at = address.lastIndexOf(u'@');
    if (at < 0)
        return u"'%1' is not an address (local@domain)"_s.arg(address);
    if (const auto local = localPartProblem(address.left(at)))
        return u"'%1': "_s.arg(address) + *local;
    if (const auto domain = domainProblem(address.mid(at + 1)))
        return u"'%1': "_s.arg(address) + *domain;
    return std::nullopt;
}

Result<QStringList> MailAddress::readList(const QJsonValue &value, const QString &field,
                                          int maxCount)
{
    const QJsonArray list = value.toArray();
    if (!value.isArray() || list.isEmpty() || list.size() > maxCount)
        return fail(ErrorCode::BadRequest,
                    u"%1: required, a list of 1 to %2 addresses"_s.arg(field).arg(maxCount));
    QStringList addresses;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString address = list.at(i).toString();
        std::optional<QString> why =
            list.at(i).isString() ? problem(address) : u"must be an address (local@domain)"_s;
        if (!why && addresses.contains(address, Qt::CaseInsensitive))
            why = u"'%1' is in the list twice"_s.arg(address);
        if (why)
            return fail(ErrorCode::BadRequest, u"%1[%2]: "_s.arg(field).arg(i) + *why);
        addresses.append(address);
    }
    return addresses;
}

} // namespace herald::syncd
