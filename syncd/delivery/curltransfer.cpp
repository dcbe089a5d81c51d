// SPDX-License-Identifier: Apache-2.0
#include "delivery/curltransfer.h"

#include "delivery/addresspolicy.h"
#include "delivery/deliverylog.h"

#include <QHostAddress>

#include <sys/socket.h>

#include <algorithm>
#include <cstring>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// libcurl connects at most this fast, whatever the request's whole timeout is: a receiver
// that does not accept in 5 s is down, and waiting longer only holds a slot.
constexpr qint64 kConnectTimeoutMs = 5000;

int defaultPort(const QUrl &url)
{
    return url.scheme() == "https"_L1 ? 443 : 80;
}

bool isTlsVerification(CURLcode code)
{
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return true;
    default:
        return false;
    }
}

SendFailure failureOf(CURLcode code)
{
    if (code == CURLE_OPERATION_TIMEDOUT)
        return SendFailure::Timeout;
    if (isTlsVerification(code))
        return SendFailure::Tls;
    switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_UNKNOWN_OPTION:
        return SendFailure::Invalid;
    case CURLE_USE_SSL_FAILED: // STARTTLS required and not offered: a configuration problem
        return SendFailure::Tls;
    default:
        // Resolving, connecting, a reset, a TLS handshake cut short, a reply that is not
        // HTTP: the receiver or the way to it may be back later.
        return SendFailure::Network;
    }
}

bool isHeaderSafe(const QByteArray &text)
{
    return !text.contains('\r') && !text.contains('\n');
}

// An SMTP reply line as the delivery log shows it: printable, and not a page long.
QString replyText(const QByteArray &line)
{
    QByteArray text = line.trimmed().left(300);
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c < 0x20 || c == 0x7f; }, ' ');
    return QString::fromUtf8(text);
}

} // namespace

CurlTransfer::CurlTransfer(SendRequest request, const SenderOptions &options)
    : m_request(std::move(request)), m_easy(curl_easy_init()),
      // The SMTP server is the operator's own configuration, not a URL an admin typed through
      // the API: a relay on localhost:25 or the private network is the normal case.
      m_allowPrivateNetworks(options.allowPrivateNetworks || m_request.mail.has_value()),
      m_maxResponseBytes(std::max<qint64>(options.maxResponseBytes, 0))
{
    m_clock.start();
    if (!m_easy)
        return;
    if (!m_request.mail)
        buildHeaders();
    setOptions(options);
    if (m_request.mail)
        setMailOptions();
    prepare(m_request.url);
}

CurlTransfer::~CurlTransfer()
{
    if (m_easy)
        curl_easy_cleanup(m_easy);
    curl_slist_free_all(m_headers);
    curl_slist_free_all(m_recipients);
}

void CurlTransfer::buildHeaders()
{
    bool hasContentType = false;
    for (const auto &[name, value] : m_request.headers) {
        if (!isHeaderSafe(name) || !isHeaderSafe(value) || name.isEmpty()) {
            qCWarning(lcDelivery) << "dropping a malformed header of request" << m_request.tag;
            continue;
        }
        hasContentType = hasContentType || name.compare("content-type", Qt::CaseInsensitive) == 0;
        m_headers = curl_slist_append(m_headers, QByteArray(name + ": " + value).constData());
    }
    // An empty value removes what libcurl would add: "Expect: 100-continue" costs a round
    // trip (or a 1 s wait) on every larger body, and a form Content-Type would be a lie.
    m_headers = curl_slist_append(m_headers, "Expect:");
    if (!hasContentType)
        m_headers = curl_slist_append(m_headers, "Content-Type:");
}

void CurlTransfer::setOptions(const SenderOptions &options)
{
    curl_easy_setopt(m_easy, CURLOPT_NOSIGNAL, 1L); // SIGALRM would hit any thread
    curl_easy_setopt(m_easy, CURLOPT_ERRORBUFFER, m_errorText);
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(m_easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    // Redirects are decided here (followRedirect): libcurl would follow one to anywhere.
    curl_easy_setopt(m_easy, CURLOPT_FOLLOWLOCATION, 0L);
    // An http_proxy or https_proxy in the daemon's environment must not reroute webhooks
    // silently (nor move the address check to the proxy): "" turns proxies off entirely.
    curl_easy_setopt(m_easy, CURLOPT_PROXY, "");
    curl_easy_setopt(m_easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(m_easy, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.caFile.isEmpty()) {
        // The file's CAs only, not those of the system's CA directory besides.
        curl_easy_setopt(m_easy, CURLOPT_CAINFO, options.caFile.toLocal8Bit().constData());
        curl_easy_setopt(m_easy, CURLOPT_CAPATH, nullptr);
    }
    if (!options.userAgent.isEmpty())
        curl_easy_setopt(m_easy, CURLOPT_USERAGENT, options.userAgent.constData());
    if (!m_request.mail) {
        curl_easy_setopt(m_easy, CURLOPT_HTTPHEADER, m_headers);
        curl_easy_setopt(m_easy, CURLOPT_POST, 1L);
        // Not copied by libcurl: m_request lives as long as the handle.
        curl_easy_setopt(m_easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(m_request.body.size()));
        curl_easy_setopt(m_easy, CURLOPT_POSTFIELDS, m_request.body.constData());
    }
    curl_easy_setopt(m_easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::onBody);
    curl_easy_setopt(m_easy, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_HEADERFUNCTION, &CurlTransfer::onHeader);
    curl_easy_setopt(m_easy, CURLOPT_HEADERDATA, this);
    // Every address libcurl is about to connect to passes AddressPolicy first, so a name
    // that resolves (or rebinds) to a private address is refused before any packet.
    curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETFUNCTION, &CurlTransfer::onOpenSocket);
    curl_easy_setopt(m_easy, CURLOPT_OPENSOCKETDATA, this);
}

void CurlTransfer::setMailOptions()
{
    const MailEnvelope &mail = *m_request.mail;
    // Only the mail protocols: the url comes from [smtp], but nothing else may ride on it.
    curl_easy_setopt(m_easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(m_easy, CURLOPT_MAIL_FROM, QByteArray('<' + mail.from + '>').constData());
    for (const QByteArray &to : mail.recipients)
        m_recipients = curl_slist_append(m_recipients, QByteArray('<' + to + '>').constData());
    curl_easy_setopt(m_easy, CURLOPT_MAIL_RCPT, m_recipients);
    curl_easy_setopt(m_easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(m_easy, CURLOPT_READFUNCTION, &CurlTransfer::onRead);
    curl_easy_setopt(m_easy, CURLOPT_READDATA, this);
    curl_easy_setopt(m_easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(m_request.body.size()));
    // ALL: a server that does not offer STARTTLS fails the send instead of getting the mail
    // (and the password) in clear text. smtps:// is TLS from the first byte either way.
    curl_easy_setopt(m_easy, CURLOPT_USE_SSL,
                     long(mail.requireTls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    if (!mail.user.isEmpty()) {
        curl_easy_setopt(m_easy, CURLOPT_USERNAME, mail.user.toUtf8().constData());
        curl_easy_setopt(m_easy, CURLOPT_PASSWORD, mail.password.toUtf8().constData());
    }
}

void CurlTransfer::prepare(const QUrl &url)
{
    m_url = url;
    m_body.clear();
    m_bodyCut = false;
    m_retryAfter.clear();
    m_location.clear();
    m_refused.clear();
    m_opened = 0;
    m_sent = 0;
    m_refusal.clear();
    m_errorText[0] = '\0';
    // Redirects spend the same budget: SendRequest::timeoutMs bounds the whole exchange.
    const qint64 left = std::max<qint64>(m_request.timeoutMs - m_clock.elapsed(), 1);
    curl_easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, long(left));
    curl_easy_setopt(m_easy, CURLOPT_CONNECTTIMEOUT_MS, long(std::min(left, kConnectTimeoutMs)));
    curl_easy_setopt(m_easy, CURLOPT_URL, url.toString(QUrl::FullyEncoded).toUtf8().constData());
}

int CurlTransfer::answerStatus() const
{
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    return int(status);
}

std::optional<QUrl> CurlTransfer::redirectTarget() const
{
    if (m_request.mail) // SMTP has no redirects; its 3xx are steps of the dialogue
        return std::nullopt;
    const int status = answerStatus();
    if (status < 300 || status > 399 || m_location.isEmpty())
        return std::nullopt;
    return m_url.resolved(QUrl::fromEncoded(m_location));
}

bool CurlTransfer::isAnswered(CURLcode code) const
{
    // A body cut at maxResponseBytes stops the transfer on purpose: the answer stands.
    return code == CURLE_OK || (code == CURLE_WRITE_ERROR && m_bodyCut);
}

bool CurlTransfer::isFollowable(int status, const QUrl &target) const
{
    // 307 and 308 keep the method and the body; the same origin keeps the receiver the admin
    // configured (its address is checked again on connect). user-info would end up in logs.
    return (status == 307 || status == 308) && target.isValid() &&
           target.scheme() == m_url.scheme() && target.host() == m_url.host() &&
           target.port(defaultPort(target)) == m_url.port(defaultPort(m_url)) &&
           target.userInfo().isEmpty();
}

std::optional<QUrl> CurlTransfer::followRedirect(CURLcode code)
{
    const std::optional<QUrl> target = redirectTarget();
    if (!isAnswered(code) || !target || !isFollowable(answerStatus(), *target) ||
        m_redirects >= kMaxRedirects)
        return std::nullopt;
    ++m_redirects;
    QUrl next = *target;
    next.setFragment(QString());
    qCDebug(lcDelivery) << "request" << m_request.tag << "follows a" << answerStatus() << "to"
                        << next.path();
    prepare(next);
    return next;
}

SendResult CurlTransfer::mailResult(CURLcode code) const
{
    SendResult result;
    result.tag = m_request.tag;
    result.smtpStatus = answerStatus(); // libcurl's last reply code, for SMTP too
    result.elapsedMs = m_clock.elapsed();
    if (code == CURLE_OK)
        return result;
    result.failure = failureOf(code);
    result.error = m_errorText[0] ? QString::fromUtf8(m_errorText)
                                  : QString::fromUtf8(curl_easy_strerror(code));
    if (m_request.url.isEmpty())
        result.error = u"no SMTP server: [smtp] url and from are not set on this node"_s;
    // libcurl stops at the first 4xx or 5xx reply, so the last reply is the refusal (a 454
    // to STARTTLS included: temporary, whatever libcurl calls it).
    if (result.smtpStatus >= 400 && result.failure != SendFailure::Timeout) {
        result.failure = SendFailure::Rejected;
        if (m_refusal.startsWith(QByteArray::number(result.smtpStatus)))
            result.error = u"SMTP "_s + replyText(m_refusal);
    }
    return result;
}

SendResult CurlTransfer::result(CURLcode code) const
{
    if (m_request.mail)
        return mailResult(code);
    SendResult result;
    result.tag = m_request.tag;
    result.httpStatus = answerStatus();
    result.retryAfter = m_retryAfter;
    result.responseBody = m_body;
    result.elapsedMs = m_clock.elapsed();
    if (isAnswered(code)) {
        if (const std::optional<QUrl> target = redirectTarget()) {
            result.failure = SendFailure::Redirect;
            result.error = isFollowable(result.httpStatus, *target)
                               ? u"too many redirects (more than %1)"_s.arg(kMaxRedirects)
                               : u"redirect to "_s + target->host() +
                                     u" not followed (only a 307 or 308 to the same scheme, "
                                     u"host and port is)"_s;
        }
        return result;
    }
    if (m_opened == 0 && !m_refused.isEmpty()) {
        result.failure = SendFailure::RefusedByPolicy;
        result.error = u"not connecting to "_s + m_refused.join(u", "_s) +
                       u": a private or loopback address; set [endpoints] "
                       u"allowPrivateNetworks=true to allow it"_s;
        return result;
    }
    result.failure = failureOf(code);
    result.error = m_errorText[0] ? QString::fromUtf8(m_errorText)
                                  : QString::fromUtf8(curl_easy_strerror(code));
    return result;
}

size_t CurlTransfer::onBody(char *data, size_t size, size_t count, void *self)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    const qint64 length = qint64(size * count);
    const qint64 room = transfer->m_maxResponseBytes - transfer->m_body.size();
    if (length <= room) {
        transfer->m_body.append(data, length);
        return length;
    }
    // Keep what fits and stop the transfer: a receiver must not make us read without end.
    transfer->m_body.append(data, std::max<qint64>(room, 0));
    transfer->m_bodyCut = true;
    return 0;
}

size_t CurlTransfer::onRead(char *buffer, size_t size, size_t count, void *self)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    const QByteArray &message = transfer->m_request.body;
    const qsizetype length =
        std::min<qsizetype>(qsizetype(size * count), message.size() - transfer->m_sent);
    std::memcpy(buffer, message.constData() + transfer->m_sent, size_t(length));
    transfer->m_sent += length;
    return size_t(length); // 0 at the end: libcurl then sends the final "."
}

size_t CurlTransfer::onHeader(char *data, size_t size, size_t count, void *self)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    const size_t length = size * count;
    const QByteArray line = QByteArray(data, qsizetype(length)).trimmed();
    if (transfer->m_request.mail) { // libcurl hands SMTP's reply lines to this callback
        // The refusal, not what came after it (libcurl still says QUIT and gets its 221).
        if (line.startsWith('4') || line.startsWith('5'))
            transfer->m_refusal = line;
        return length;
    }
    if (line.startsWith("HTTP/")) { // a new answer (an interim one before it, say)
        transfer->m_retryAfter.clear();
        transfer->m_location.clear();
        return length;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return length;
    const QByteArray name = line.left(colon).trimmed().toLower();
    if (name == "retry-after")
        transfer->m_retryAfter = line.mid(colon + 1).trimmed();
    else if (name == "location")
        transfer->m_location = line.mid(colon + 1).trimmed();
    return length;
}

curl_socket_t CurlTransfer::onOpenSocket(void *self, curlsocktype, curl_sockaddr *address)
{
    auto *transfer = static_cast<CurlTransfer *>(self);
    const QHostAddress peer(&address->addr);
    if (!transfer->m_allowPrivateNetworks && AddressPolicy::isPrivate(peer)) {
        const QString text =
            peer.isNull() ? u"an address of family %1"_s.arg(address->family) : peer.toString();
        qCInfo(lcDelivery) << "request" << transfer->m_request.tag << "not connecting to" << text
                           << "(private network)";
        transfer->m_refused.append(text);
        return CURL_SOCKET_BAD; // libcurl tries the host's next address, if any
    }
    ++transfer->m_opened;
    return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

} // namespace herald::syncd
