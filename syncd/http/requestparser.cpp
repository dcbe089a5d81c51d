// SPDX-License-Identifier: Apache-2.0
#include "requestparser.h"

#include <QUrl>

namespace herald::syncd {

namespace {
RequestParser *self(http_parser *p)
{
    return static_cast<RequestParser *>(p->data);
}
} // namespace

RequestParser::RequestParser(int maxHeaderBytes, qint64 maxBodyBytes, int maxHeaderLines)
    : m_maxHeaderBytes(maxHeaderBytes), m_maxBodyBytes(maxBodyBytes),
      m_maxHeaderLines(maxHeaderLines)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    http_parser_settings_init(&m_settings);
    m_settings.on_message_begin = &RequestParser::onMessageBegin;
    m_settings.on_url = &RequestParser::onUrl;
    m_settings.on_header_field = &RequestParser::onHeaderField;
    m_settings.on_header_value = &RequestParser::onHeaderValue;
    m_settings.on_headers_complete = &RequestParser::onHeadersComplete;
    m_settings.on_body = &RequestParser::onBody;
    m_settings.on_message_complete = &RequestParser::onMessageComplete;
}

void RequestParser::feed(const char *data, qsizetype size)
{
    // One run of http_parser per stretch between pauses: a run that starts in a head holds
    // only head bytes, up to the pause where the head ends (its last byte, the final LF, is
    // still unparsed then and counted here).
    while (size > 0 && !m_failure && !m_upgrade) {
        const bool headRun = m_inHead;
        m_runStart = data;
        m_headBegan = false;
        m_headEnded = false;
        const size_t parsed = http_parser_execute(&m_parser, &m_settings, data, size_t(size));
        if (m_failure)
            return;
        if (headRun)
            m_headBytes += qint64(parsed) + (m_headEnded ? 1 : 0);
        else if (m_headBegan)
            m_headBytes = 1; // the pause comes right after the request line's first byte
        if (!checkHeadTotal(m_headBytes))
            return;
        const auto err = HTTP_PARSER_ERRNO(&m_parser);
        if (err == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
            data += parsed;
            size -= qsizetype(parsed);
            continue;
        }
        // http_parser sets `upgrade` at the end of the head, but reads a body first when the
        // request has one: the upgrade begins only once the whole request is in.
        if (m_parser.upgrade && !m_inMessage) {
            m_upgrade = true;
            return;
        }
        if (parsed != size_t(size) || err != HPE_OK) {
            if (err == HPE_HEADER_OVERFLOW)
                failWith(431, QStringLiteral("request head too large"));
            else
                failWith(400, QStringLiteral("malformed HTTP request: %1")
                                  .arg(QString::fromLatin1(http_errno_description(err))));
        }
        return;
    }
}

void RequestParser::failWith(int status, const QString &message)
{
    if (!m_failure) {
        m_failure = status;
        m_failureMessage = message;
    }
}

bool RequestParser::checkHeadTotal(qint64 headBytes)
{
    if (headBytes > m_maxHeaderBytes) {
        failWith(431, QStringLiteral("request head larger than %1 bytes").arg(m_maxHeaderBytes));
        return false;
    }
    return true;
}

bool RequestParser::checkHead(const char *end, size_t length)
{
    if (m_inHead)
        return checkHeadTotal(m_headBytes + qint64(end - m_runStart));
    m_headBytes += qint64(length); // chunked trailers: names and values
    return checkHeadTotal(m_headBytes);
}

int RequestParser::onMessageBegin(http_parser *p)
{
    RequestParser *s = self(p);
    s->m_current = HttpRequest();
    s->m_field.clear();
    s->m_lastWasValue = false;
    s->m_headBytes = 0;
    s->m_inMessage = true;
    s->m_inHead = true;
    s->m_headBegan = true;
    http_parser_pause(p, 1);
    return 0;
}

int RequestParser::onUrl(http_parser *p, const char *at, size_t length)
{
    RequestParser *s = self(p);
    if (!s->checkHead(at + length, length))
        return 1;
    s->m_current.target.append(at, qsizetype(length));
    return 0;
}

int RequestParser::onHeaderField(http_parser *p, const char *at, size_t length)
{
    RequestParser *s = self(p);
    if (!s->checkHead(at + length, length))
        return 1;
    if (s->m_lastWasValue || s->m_current.headers.isEmpty()) {
        if (s->m_current.headers.size() >= s->m_maxHeaderLines) {
            s->failWith(431, QStringLiteral("more than %1 header lines").arg(s->m_maxHeaderLines));
            return 1;
        }
        s->m_current.headers.append({QByteArray(), QByteArray()});
        s->m_lastWasValue = false;
    }
    s->m_current.headers.last().first.append(QByteArray(at, qsizetype(length)).toLower());
    return 0;
}

int RequestParser::onHeaderValue(http_parser *p, const char *at, size_t length)
{
    RequestParser *s = self(p);
    if (!s->checkHead(at + length, length))
        return 1;
    if (s->m_current.headers.isEmpty())
        return 1;
    s->m_current.headers.last().second.append(at, qsizetype(length));
    s->m_lastWasValue = true;
    return 0;
}

int RequestParser::onHeadersComplete(http_parser *p)
{
    RequestParser *s = self(p);
    s->m_inHead = false;
    s->m_headEnded = true;
    // feed() counts the whole head and checks it before anything else is parsed.
    http_parser_pause(p, 1);
    HttpRequest &r = s->m_current;
    r.method = http_method_str(http_method(p->method));
    r.keepAlive = http_should_keep_alive(p) != 0;
    r.upgrade = p->upgrade != 0;
    http_parser_url url;
    http_parser_url_init(&url);
    if (http_parser_parse_url(r.target.constData(), size_t(r.target.size()), 0, &url) != 0 ||
        !(url.field_set & (1 << UF_PATH))) {
        s->failWith(400, QStringLiteral("malformed request target"));
        return -1; // http_parser: 1 and 2 mean "no body"; anything else stops with an error
    }
    if (p->http_major != 1) {
        s->failWith(400, QStringLiteral("only HTTP/1.x is spoken here"));
        return -1;
    }
    const QByteArray rawPath =
        r.target.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len);
    r.path = QUrl::fromPercentEncoding(rawPath);
    if (url.field_set & (1 << UF_QUERY))
        r.query.setQuery(QString::fromUtf8(
            r.target.mid(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len)));
    // Content-Length is known up front: refuse a large body before reading it.
    if ((p->flags & F_CONTENTLENGTH) && qint64(p->content_length) > s->m_maxBodyBytes) {
        s->failWith(413, QStringLiteral("body larger than %1 bytes").arg(s->m_maxBodyBytes));
        return -1;
    }
    return 0;
}

int RequestParser::onBody(http_parser *p, const char *at, size_t length)
{
    RequestParser *s = self(p);
    if (s->m_current.body.size() + qint64(length) > s->m_maxBodyBytes) {
        s->failWith(413, QStringLiteral("body larger than %1 bytes").arg(s->m_maxBodyBytes));
        return 1;
    }
    s->m_current.body.append(at, qsizetype(length));
    return 0;
}

int RequestParser::onMessageComplete(http_parser *p)
{
    RequestParser *s = self(p);
    s->m_inMessage = false;
    if (s->m_failure)
        return -1;
    s->m_ready.append(std::move(s->m_current));
    s->m_current = HttpRequest();
    return 0; // on an upgrade, http_parser itself stops right after this request
}

} // namespace herald::syncd
