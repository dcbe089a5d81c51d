// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "delivery/sendrequest.h"

#include <QElapsedTimer>
#include <QStringList>

#include <curl/curl.h>

#include <optional>

namespace herald::syncd {

// One SendRequest on one libcurl easy handle: the options that make it safe to point at a
// URL an admin typed (no proxy from the environment, no redirects followed by libcurl, no
// protocol but HTTP(S), verified TLS, every address checked before a socket is opened,
// response bodies capped), and what came back, as a SendResult. A same-origin 307/308 is
// followed by preparing the same handle again. A request with a MailEnvelope is an SMTP send
// instead (SMTP(S) only, STARTTLS required unless turned off, the server's reply code and text
// in the result). Created, run and destroyed on HttpSender's thread; the multi handle it is
// added to is HttpSender's business.
class CurlTransfer
{
public:
    static constexpr int kMaxRedirects = 3;

    CurlTransfer(SendRequest request, const SenderOptions &options);
    ~CurlTransfer();
    CurlTransfer(const CurlTransfer &) = delete;
    CurlTransfer &operator=(const CurlTransfer &) = delete;

    // Whether libcurl gave a handle (it fails only without memory).
    bool isValid() const { return m_easy != nullptr; }
    CURL *handle() const { return m_easy; }
    const SendRequest &request() const { return m_request; }

    // After libcurl ended the current hop with `code`: the URL to POST to next when the
    // answer is a 307 or 308 to the same scheme, host and port and fewer than kMaxRedirects
    // were followed; the handle is then prepared for it (take it out of the multi handle
    // first, add it again after). nullopt: the transfer is over, see result().
    std::optional<QUrl> followRedirect(CURLcode code);

    // How the transfer ended, the current hop having ended with `code`.
    SendResult result(CURLcode code) const;

private:
    void prepare(const QUrl &url);
    void setOptions(const SenderOptions &options);
    void setMailOptions();
    SendResult mailResult(CURLcode code) const;
    void buildHeaders();
    int answerStatus() const;
    std::optional<QUrl> redirectTarget() const;
    bool isAnswered(CURLcode code) const;
    bool isFollowable(int status, const QUrl &target) const;

    static size_t onBody(char *data, size_t size, size_t count, void *self);
    static size_t onHeader(char *data, size_t size, size_t count, void *self);
    static size_t onRead(char *buffer, size_t size, size_t count, void *self);
    static curl_socket_t onOpenSocket(void *self, curlsocktype purpose, curl_sockaddr *address);

    SendRequest m_request;
    CURL *m_easy = nullptr;
    curl_slist *m_headers = nullptr;
    curl_slist *m_recipients = nullptr; // mail only
    bool m_allowPrivateNetworks = false;
    qint64 m_maxResponseBytes = 0;
    QElapsedTimer m_clock; // since the first hop started
    QUrl m_url;            // the current hop's
    int m_redirects = 0;

    // What the current hop brought; cleared by prepare().
    QByteArray m_body;
    bool m_bodyCut = false;
    QByteArray m_retryAfter;
    QByteArray m_location;
    QStringList m_refused; // addresses not connected to, by policy
    int m_opened = 0;      // sockets opened
    qsizetype m_sent = 0;  // mail: bytes of the message handed to libcurl
    QByteArray m_refusal;  // mail: the server's last 4xx or 5xx reply line
    char m_errorText[CURL_ERROR_SIZE] = {};
};

} // namespace herald::syncd
