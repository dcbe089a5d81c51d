// SPDX-License-Identifier: Apache-2.0
#include "servererror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace herald::client {

QString serverErrorMessage(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(u"error"_s).toObject();
    return error.value(u"message"_s).toString();
}

} // namespace herald::client
