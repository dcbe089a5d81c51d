// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace herald::syncd {

// One request of a subcommand to a running herald-syncd's REST API, waited for (the command
// line has nothing else to do meanwhile).
struct RestCall
{
    QString server; // http://host:port
    QString token;  // empty: none sent

    struct Answer
    {
        int status = 0; // 0: no HTTP answer (then `error` says why)
        QByteArray body;
        QString error;
    };
    Answer send(const QByteArray &method, const QString &path, const QByteArray &body = {}) const;
};

} // namespace herald::syncd
