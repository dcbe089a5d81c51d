// SPDX-License-Identifier: Apache-2.0
#include "app/restcall.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace herald::syncd {

RestCall::Answer RestCall::send(const QByteArray &method, const QString &path,
                                const QByteArray &body) const
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(server + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(15000);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (answer.status == 0)
        answer.error = QStringLiteral("cannot reach %1: %2")
                           .arg(request.url().toString(QUrl::RemoveQuery), reply->errorString());
    reply->deleteLater();
    return answer;
}

} // namespace herald::syncd
