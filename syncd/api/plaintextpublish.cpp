// SPDX-License-Identifier: Apache-2.0
#include "api/plaintextpublish.h"

#include "protocol/fieldpath.h"

#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// Each field with the header names ntfy and curl users write for it; the first one present
// wins. Lowercase: HttpRequest keeps header names so.
struct HeaderField
{
    const char *label; // how errors name it
    QByteArrayList names;
};
const HeaderField Title{"Title", {"title", "x-title", "t"}};
const HeaderField PriorityHeader{"Priority", {"priority", "x-priority", "prio", "p"}};
const HeaderField Tags{"Tags", {"tags", "x-tags", "tag", "ta"}};
const HeaderField Click{"Click", {"click", "x-click", "url", "x-url"}};
const HeaderField Code{"Code", {"code", "x-code"}};
const HeaderField LevelHeader{"Level", {"level", "x-level"}};
const HeaderField Persistent{"Persistent", {"persistent", "x-persistent"}};
const HeaderField Cache{"Cache", {"cache", "x-cache"}};
const HeaderField Recipients{"Recipients", {"recipients", "x-recipients"}};
// ntfy features Herald does not have: refused rather than dropped, so nobody waits for a
// delayed message or an attachment that never comes.
const QList<HeaderField> Unsupported = {{"Delay", {"delay", "x-delay"}},
                                        {"Attach", {"attach", "x-attach"}},
                                        {"Actions", {"actions", "x-actions"}},
                                        {"Email", {"email", "x-email"}}};

// Strict UTF-8 without U+0000, as every JSON string of the protocol.
Result<QString> utf8Text(const QByteArray &bytes, const QString &field)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return failField(field, u"not valid UTF-8"_s);
    if (text.contains(QChar(0)))
        return failField(field, u"contains U+0000"_s);
    return text;
}

// The header's value, trimmed; nullopt when none of its names is present.
Result<std::optional<QString>> headerText(const HttpRequest &request, const HeaderField &field)
{
    for (const QByteArray &name : field.names) {
        for (const auto &[key, value] : request.headers) {
            if (key != name)
                continue;
            auto text = utf8Text(value, QString::fromLatin1(field.label));
            if (!text)
                return tl::unexpected(text.error());
            return std::optional<QString>(text->trimmed());
        }
    }
    return std::optional<QString>();
}

QStringList commaSeparated(const QString &text)
{
    QStringList items;
    for (const QString &item : text.split(u',')) {
        if (!item.trimmed().isEmpty())
            items.append(item.trimmed());
    }
    return items;
}

Result<void> checkContentType(const HttpRequest &request)
{
    const QByteArray declared = request.header("content-type").trimmed().toLower();
    if (declared.isEmpty())
        return {};
    const QByteArrayList parts = declared.split(';');
    const QByteArray type = parts.first().trimmed();
    // curl -d sends application/x-www-form-urlencoded; the body is still just the text.
    if (!type.startsWith("text/") && type != "application/x-www-form-urlencoded") {
        return fail(ErrorCode::UnsupportedMediaType,
                    u"Content-Type: expected text/plain, got %1 (JSON is published to "
                    "POST /api/v1/notifications)"_s.arg(QString::fromLatin1(type)));
    }
    for (const QByteArray &parameter : parts.mid(1)) {
        const QByteArray p = parameter.trimmed();
        if (!p.startsWith("charset="))
            continue;
        const QByteArray charset = p.mid(8).replace('"', QByteArray());
        if (charset != "utf-8" && charset != "utf8" && charset != "us-ascii") {
            return fail(ErrorCode::UnsupportedMediaType,
                        u"Content-Type: charset %1 is not taken, only UTF-8"_s.arg(
                            QString::fromLatin1(charset)));
        }
    }
    return {};
}

} // namespace

std::optional<Priority> PlainTextPublish::priorityFrom(const QString &text)
{
    const QString name = text.trimmed().toLower();
    if (name == "1"_L1 || name == "min"_L1 || name == "2"_L1 || name == "low"_L1)
        return Priority::Low;
    if (name == "3"_L1 || name == "default"_L1 || name == "normal"_L1)
        return Priority::Normal;
    if (name == "4"_L1 || name == "high"_L1)
        return Priority::High;
    if (name == "5"_L1 || name == "max"_L1 || name == "urgent"_L1)
        return Priority::Urgent;
    return std::nullopt;
}

Result<QMap<QString, QString>> PlainTextPublish::tagsFrom(const QString &text,
                                                          const QString &header)
{
    QMap<QString, QString> tags;
    for (const QString &item : commaSeparated(text)) {
        const qsizetype equals = item.indexOf(u'=');
        const QString key = equals < 0 ? item : item.left(equals).trimmed();
        const QString value = equals < 0 ? u"true"_s : item.mid(equals + 1).trimmed();
        if (key.isEmpty())
            return failField(header, u"'%1' has no key before '='"_s.arg(item));
        if (tags.contains(key))
            return failField(header, u"'%1' is given twice"_s.arg(key));
        tags.insert(key, value);
    }
    return tags;
}

Result<Notification> PlainTextPublish::read(const QString &application, const QString &channel,
                                            const HttpRequest &request) const
{
    if (auto type = checkContentType(request); !type)
        return tl::unexpected(type.error());
    for (const HeaderField &field : Unsupported) {
        auto present = headerText(request, field);
        if (!present || *present) {
            return failField(QString::fromLatin1(field.label),
                             u"not supported by Herald; publish without it"_s);
        }
    }
    Notification n;
    n.application = application;
    n.channel = channel;
    auto message = utf8Text(request.body, u"body"_s);
    if (!message)
        return tl::unexpected(message.error());
    n.message = message->trimmed(); // curl and echo leave a line end
    const auto read = [&request](const HeaderField &field, auto &&apply) -> Result<void> {
        auto text = headerText(request, field);
        if (!text)
            return tl::unexpected(text.error());
        if (!*text)
            return {};
        return apply(**text, QString::fromLatin1(field.label));
    };
    const auto assign = [](QString &target) {
        return [&target](const QString &text, const QString &) -> Result<void> {
            target = text;
            return {};
        };
    };
    const QList<Result<void>> fields = {
        read(Title, assign(n.title)),
        read(Code, assign(n.code)),
        read(LevelHeader, assign(n.level)),
        read(Click, assign(n.url)),
        read(PriorityHeader,
             [&n](const QString &text, const QString &label) -> Result<void> {
                 const auto priority = priorityFrom(text);
                 if (!priority)
                     return failField(label, u"'%1' is not one of 1-5, min, low, default, "
                                             "normal, high, max, urgent"_s.arg(text));
                 n.priority = *priority;
                 return {};
             }),
        read(Tags,
             [&n](const QString &text, const QString &label) -> Result<void> {
                 auto tags = tagsFrom(text, label);
                 if (!tags)
                     return tl::unexpected(tags.error());
                 n.tags = *tags;
                 return {};
             }),
        read(Recipients,
             [&n](const QString &text, const QString &) -> Result<void> {
                 n.recipients = commaSeparated(text);
                 return {};
             }),
        // ntfy's "Cache: no" is Herald's transient; Persistent, when given too, decides.
        read(Cache,
             [&n](const QString &text, const QString &label) -> Result<void> {
                 if (text.compare("no"_L1, Qt::CaseInsensitive) != 0)
                     return failField(label, u"only 'no' is taken (a transient notification)"_s);
                 n.persistent = false;
                 return {};
             }),
        read(Persistent,
             [&n](const QString &text, const QString &label) -> Result<void> {
                 const QString value = text.toLower();
                 if (value == "true"_L1 || value == "yes"_L1 || value == "1"_L1)
                     n.persistent = true;
                 else if (value == "false"_L1 || value == "no"_L1 || value == "0"_L1)
                     n.persistent = false;
                 else
                     return failField(label, u"must be true or false"_s);
                 return {};
             }),
    };
    for (const Result<void> &field : fields) {
        if (!field)
            return tl::unexpected(field.error());
    }
    if (auto valid = m_validator.checkNotification(n); !valid)
        return tl::unexpected(valid.error());
    return n;
}

} // namespace herald::syncd
