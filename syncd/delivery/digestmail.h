// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/mailmessage.h"

#include <QJsonObject>
#include <QString>

namespace herald::syncd {

// What a user reads for one digest (the `data` of a digest frame): the subject says the
// period and how much ("Daily digest: 14 notifications in 3 channels"), both parts list the
// items carried (title, application and channel, time, link) newest last, and say how many
// more the digest held. Pure, any thread.
class DigestMail
{
public:
    static QString subject(const QJsonObject &digest);
    static MailMessage compose(const QJsonObject &digest, const QString &from, const QString &to);
};

} // namespace herald::syncd
