// SPDX-License-Identifier: Apache-2.0
#include "jsonerrors.h"

#include "jsoncodec.h"
#include "jsonfields.h"
#include "jsontext.h"

using namespace Qt::StringLiterals;

namespace herald {

namespace json {

QByteArray encodeFrame(const ErrorMessage &m)
{
    OrderedObject o;
    o.addString(u"type", u"error").addString(u"code", m.code).addString(u"message", m.message);
    if (!m.ref.isEmpty())
        o.addString(u"ref", m.ref);
    return o.toJson();
}

Result<ServerMessage> decodeErrorFrame(const QJsonObject &frame)
{
    FieldReader r(frame);
    ErrorMessage m{r.requiredString(u"code"_s), r.string(u"message"_s), r.string(u"ref"_s)};
    if (!r.ok())
        return r.unexpected();
    return m;
}

} // namespace json

QByteArray JsonCodec::errorBody(const Error &error)
{
    const QByteArray inner = json::OrderedObject()
                                 .addString(u"code", errorCodeName(error.code))
                                 .addString(u"message", error.message)
                                 .toJson();
    return json::OrderedObject().addRaw(u"error", inner).toJson();
}

} // namespace herald
