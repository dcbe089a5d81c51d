// SPDX-License-Identifier: Apache-2.0
#include "markup.h"

using namespace Qt::StringLiterals;

namespace herald::client {

QString escapeMarkup(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (QChar c : text) {
        switch (c.unicode()) {
        case u'&':
            out += u"&amp;"_s;
            break;
        case u'<':
            out += u"&lt;"_s;
            break;
        case u'>':
            out += u"&gt;"_s;
            break;
        case u'"':
            out += u"&quot;"_s;
            break;
        case u'\'':
            out += u"&#39;"_s;
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString notificationBody(const QString &text, bool serverUsesMarkup)
{
    return serverUsesMarkup ? escapeMarkup(text) : text;
}

} // namespace herald::client
