// SPDX-License-Identifier: Apache-2.0
#include "jsonflatpublish.h"

#include <QString>

#include <algorithm>
#include <cstring>
#include <iterator>

namespace herald::json {

namespace {

// Reads the tokens of a flat JSON object. Every method returns nothing (or false) for what
// the shortcut leaves to the general parser.
class FlatScanner
{
public:
    explicit FlatScanner(QByteArrayView text) : m_at(text.begin()), m_end(text.end()) {}

    bool consume(char c)
    {
        skipSpace();
        if (m_at == m_end || *m_at != c)
            return false;
        ++m_at;
        return true;
    }

    bool atEnd()
    {
        skipSpace();
        return m_at == m_end;
    }

    // A key the shortcut knows: plain ASCII, no escapes.
    std::optional<QByteArrayView> key()
    {
        if (!consume('"'))
            return std::nullopt;
        const char *start = m_at;
        while (m_at != m_end && *m_at != '"') {
            if (*m_at == '\\' || quint8(*m_at) < 0x20 || quint8(*m_at) >= 0x80)
                return std::nullopt;
            ++m_at;
        }
        if (m_at == m_end)
            return std::nullopt;
        return QByteArrayView(start, m_at++ - start);
    }

    std::optional<QString> string()
    {
        if (!consume('"'))
            return std::nullopt;
        const char *start = m_at;
        bool escaped = false;
        bool wide = false; // bytes beyond ASCII: the UTF-8 must be checked
        while (m_at != m_end && *m_at != '"') {
            const auto c = quint8(*m_at);
            if (c < 0x20)
                return std::nullopt; // Qt takes raw control characters; leave them to it
            if (c >= 0x80)
                wide = true;
            if (c == '\\') {
                escaped = true;
                if (++m_at == m_end)
                    return std::nullopt;
            }
            ++m_at;
        }
        if (m_at == m_end)
            return std::nullopt;
        const QByteArrayView raw(start, m_at++ - start);
        if (!escaped) {
            if (wide && !raw.isValidUtf8())
                return std::nullopt;
            return QString::fromUtf8(raw);
        }
        QByteArray utf8;
        if (!unescape(raw, utf8) || (wide && !QByteArrayView(utf8).isValidUtf8()))
            return std::nullopt;
        return QString::fromUtf8(utf8);
    }

    std::optional<bool> boolean()
    {
        skipSpace();
        if (literal("true"))
            return true;
        if (literal("false"))
            return false;
        return std::nullopt;
    }

private:
    void skipSpace()
    {
        while (m_at != m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t'))
            ++m_at;
    }

    bool literal(QByteArrayView word)
    {
        if (m_end - m_at < word.size() || QByteArrayView(m_at, word.size()) != word)
            return false;
        m_at += word.size();
        return true;
    }

    static int hexDigit(char h)
    {
        if (h >= '0' && h <= '9')
            return h - '0';
        if (h >= 'a' && h <= 'f')
            return h - 'a' + 10;
        if (h >= 'A' && h <= 'F')
            return h - 'A' + 10;
        return -1;
    }

    // The escapes of JSON, except those that make a surrogate or U+0000 (text that cannot be
    // stored: the general path words the error, or pairs the surrogates).
    static bool unescape(QByteArrayView raw, QByteArray &out)
    {
        out.reserve(raw.size());
        for (qsizetype i = 0; i < raw.size(); ++i) {
            const char c = raw[i];
            if (c != '\\') {
                out.append(c);
                continue;
            }
            // The escapes that stand for one character; `\u` is read below.
            static constexpr char Escaped[] = "\"\\/bfnrt";
            static constexpr char Meant[] = "\"\\/\b\f\n\r\t";
            const char escape = raw[++i];
            if (const char *at = std::strchr(Escaped, escape); at && escape != '\0') {
                out.append(Meant[at - Escaped]);
                continue;
            }
            if (escape != 'u' || raw.size() - i - 1 < 4)
                return false;
            uint unit = 0;
            for (const char h : raw.sliced(i + 1, 4)) {
                const int digit = hexDigit(h);
                if (digit < 0)
                    return false;
                unit = unit * 16 + uint(digit);
            }
            if (unit == 0 || (unit >= 0xD800 && unit <= 0xDFFF))
                return false;
            out.append(QString(QChar(char16_t(unit))).toUtf8());
            i += 4;
        }
        return true;
    }

    const char *m_at;
    const char *m_end;
};

// Each key once: a repeated key is the general parser's (the last one wins there).
class SeenKeys
{
public:
    bool first(int key)
    {
        const unsigned bit = 1u << key;
        if (m_seen & bit)
            return false;
        m_seen |= bit;
        return true;
    }
    bool has(int key) const { return m_seen & (1u << key); }

private:
    unsigned m_seen = 0;
};

bool readNotification(FlatScanner &s, Notification &n)
{
    enum Key
    {
        Application,
        Channel,
        Code,
        Title,
        Message,
        Level,
        Url,
        Priority,
        Persistent
    };
    struct StringField
    {
        QByteArrayView name;
        Key key;
        QString Notification::*member;
    };
    static const StringField strings[] = {
        {"application", Application, &Notification::application},
        {"channel", Channel, &Notification::channel},
        {"code", Code, &Notification::code},
        {"title", Title, &Notification::title},
        {"message", Message, &Notification::message},
        {"level", Level, &Notification::level},
        {"url", Url, &Notification::url},
    };
    if (!s.consume('{'))
        return false;
    SeenKeys seen;
    do {
        const auto key = s.key();
        if (!key || !s.consume(':'))
            return false;
        const auto field = std::find_if(std::begin(strings), std::end(strings),
                                        [&](const StringField &f) { return f.name == *key; });
        if (field != std::end(strings)) {
            auto text = s.string();
            if (!text || !seen.first(field->key))
                return false;
            n.*field->member = std::move(*text);
        } else if (*key == "priority") {
            const auto name = s.string();
            const auto priority = name ? priorityFromName(*name) : std::nullopt;
            if (!priority || !seen.first(Priority))
                return false;
            n.priority = *priority;
        } else if (*key == "persistent") {
            const auto persistent = s.boolean();
            if (!persistent || !seen.first(Persistent))
                return false;
            n.persistent = *persistent;
        } else {
            return false;
        }
    } while (s.consume(','));
    return s.consume('}') && seen.has(Application) && seen.has(Channel);
}

} // namespace

std::optional<Notification> readFlatNotification(QByteArrayView body)
{
    FlatScanner s(body);
    Notification n;
    if (!readNotification(s, n) || !s.atEnd())
        return std::nullopt;
    return n;
}

std::optional<PublishMessage> readFlatPublishFrame(QByteArrayView frame)
{
    enum Key
    {
        Type,
        Ref,
        Body
    };
    FlatScanner s(frame);
    if (!s.consume('{'))
        return std::nullopt;
    PublishMessage m;
    SeenKeys seen;
    do {
        const auto key = s.key();
        if (!key || !s.consume(':'))
            return std::nullopt;
        if (*key == "type") {
            const auto type = s.string();
            if (!type || *type != QLatin1StringView("publish") || !seen.first(Type))
                return std::nullopt;
        } else if (*key == "ref") {
            auto ref = s.string();
            if (!ref || !seen.first(Ref))
                return std::nullopt;
            m.ref = std::move(*ref);
        } else if (*key == "notification") {
            if (!seen.first(Body) || !readNotification(s, m.notification))
                return std::nullopt;
        } else {
            return std::nullopt;
        }
    } while (s.consume(','));
    if (!s.consume('}') || !s.atEnd() || !seen.has(Type) || !seen.has(Ref) || !seen.has(Body))
        return std::nullopt;
    return m;
}

} // namespace herald::json
