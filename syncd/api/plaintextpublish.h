// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "http/httpmessage.h"
#include "model/notification.h"
#include "protocol/validator.h"

#include <QByteArrayList>

namespace herald::syncd {

// Reads a publish in the style ntfy users know: the body is the message and headers carry the
// rest (PROTOCOL.md, "Plain-text publish"). The result is validated like a JSON publish
// (Validator); every error names the header or `body`. Stateless, thread-safe.
class PlainTextPublish
{
public:
    explicit PlainTextPublish(Limits limits = {}) : m_validator(limits) {}

    // The notification that `request` publishes to `application`/`channel`: UnsupportedMediaType
    // for a body that is declared as something else than text, BadRequest for a bad header, body
    // or field.
    Result<Notification> read(const QString &application, const QString &channel,
                              const HttpRequest &request) const;

    // ntfy's priorities (1-5, min/low/default/high/max/urgent) and Herald's own names, in
    // any case, mapped onto Herald's four.
    static std::optional<Priority> priorityFrom(const QString &text);
    // "a=1, b, c=x=y" -> {a:1, b:true, c:"x=y"}; `header` names errors.
    static Result<QMap<QString, QString>> tagsFrom(const QString &text, const QString &header);

private:
    Validator m_validator;
};

} // namespace herald::syncd
