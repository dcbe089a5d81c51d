// SPDX-License-Identifier: Apache-2.0
// HttpSender against a receiver in this process. All traffic stays on 127.0.0.0/8: the
// receivers listen on 127.0.0.1 (and 127.0.0.2), and the addresses a test expects refused
// are refused before a socket is opened.
#include "delivery/httpsender.h"
#include "delivery/retrypolicy.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace herald::syncd;

Q_DECLARE_METATYPE(RetryPolicy::Verdict)

namespace {

struct Received
{
    QByteArray method, target;
    QHash<QByteArray, QByteArray> headers; // names in lowercase
    QByteArray body;
};

struct Answer
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    int delayMs = 0; // below 0: never answer
};

// A webhook receiver: records what arrives (HTTP/1.1, Content-Length bodies, keep-alive) and
// answers what `answer` says. Counts connections and requests open at once.
class Receiver
{
public:
    explicit Receiver(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost))
    {
        m_server.listen(address, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server,
                         [this] { onConnection(); });
    }

    bool isListening() const { return m_server.isListening(); }
    QUrl url(const QString &path = u"/hook"_s) const
    {
        return QUrl(u"http://%1:%2%3"_s.arg(m_server.serverAddress().toString())
                        .arg(m_server.serverPort())
                        .arg(path));
    }

    std::function<Answer(const Received &)> answer = [](const Received &) { return Answer{}; };
    QList<Received> requests;
    int accepted = 0;
    int open = 0;
    int pending = 0;    // requests read and not answered
    int maxPending = 0; // the most at once

private:
    void onConnection()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++accepted;
            ++open;
            QObject::connect(socket, &QTcpSocket::readyRead, socket,
                             [this, socket] { onReadable(socket); });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, [this, socket] {
                --open;
                pending -= m_pendingOn.take(socket);
                m_buffers.remove(socket);
                socket->deleteLater();
            });
        }
    }

    void onReadable(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Received request;
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.target = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            request.body = buffer.mid(end + 4, length);
            buffer.remove(0, end + 4 + length);
            requests.append(request);
            ++m_pendingOn[socket];
            maxPending = std::max(maxPending, ++pending);
            const Answer reply = answer(request);
            if (reply.delayMs < 0)
                continue;
            if (reply.delayMs > 0)
                QTimer::singleShot(reply.delayMs, socket, [=, this] { send(socket, reply); });
            else
                send(socket, reply);
        }
    }

    void send(QTcpSocket *socket, const Answer &reply)
    {
        if (m_pendingOn.value(socket) == 0)
            return; // gone meanwhile
        --m_pendingOn[socket];
        --pending;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) +
                          " Answer\r\nContent-Length: " + QByteArray::number(reply.body.size()) +
                          "\r\n";
        for (const auto &[name, value] : reply.headers)
            head += name + ": " + value + "\r\n";
        socket->write(head + "\r\n" + reply.body);
    }

    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QTcpSocket *, int> m_pendingOn;
    QTcpServer m_server; // last: its sockets, whose signals use the members above, go first
};

SenderOptions loopbackAllowed()
{
    SenderOptions options;
    options.allowPrivateNetworks = true;
    options.userAgent = "herald-syncd/test";
    return options;
}

SendRequest post(const QUrl &url, const QByteArray &body = "{}", quint64 tag = 1)
{
    SendRequest request;
    request.tag = tag;
    request.endpoint = u"ops"_s;
    request.url = url;
    request.body = body;
    request.headers = {{"Content-Type", "application/json"}};
    request.timeoutMs = 3000;
    return request;
}

// Sends one request and waits for its result.
bool sendAndWait(HttpSender &sender, SendRequest request, SendResult *result)
{
    QSignalSpy spy(&sender, &HttpSender::finished);
    sender.send(std::move(request));
    if (!spy.wait(5000) || spy.count() != 1)
        return false;
    *result = spy.at(0).at(0).value<SendResult>();
    return true;
}

} // namespace

class TestHttpSender : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<SendResult>(); }

    void postsBodyAndHeaders()
    {
        Receiver receiver;
        QVERIFY(receiver.isListening());
        receiver.answer = [](const Received &) { return Answer{200, {}, "thanks"}; };
        HttpSender sender(loopbackAllowed());
        SendRequest request = post(receiver.url(u"/hook?x=1"_s), R"({"attempt":1})", 42);
        request.headers.emplaceBack("Herald-Delivery", "d-1");
        SendResult result;
        QVERIFY(sendAndWait(sender, request, &result));
        QCOMPARE(result.tag, 42u);
        QCOMPARE(result.httpStatus, 200);
        QCOMPARE(result.responseBody, QByteArray("thanks"));
        QCOMPARE(result.failure, SendFailure::None);
        QVERIFY(result.error.isEmpty());
        QCOMPARE(RetryPolicy::classify(result), RetryPolicy::Verdict::Done);
        QCOMPARE(receiver.requests.size(), 1);
        const Received &received = receiver.requests.first();
        QCOMPARE(received.method, QByteArray("POST"));
        QCOMPARE(received.target, QByteArray("/hook?x=1"));
        QCOMPARE(received.body, QByteArray(R"({"attempt":1})"));
        QCOMPARE(received.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(received.headers.value("herald-delivery"), QByteArray("d-1"));
        QCOMPARE(received.headers.value("user-agent"), QByteArray("herald-syncd/test"));
        QVERIFY(!received.headers.contains("expect"));
        QCOMPARE(sender.inFlight(), 0);
    }

    void sendsLargeBodiesWithoutExpect()
    {
        Receiver receiver;
        HttpSender sender(loopbackAllowed());
        SendRequest request = post(receiver.url(), QByteArray(2 * 1024 * 1024, 'x'));
        request.headers.clear();
        SendResult result;
        QVERIFY(sendAndWait(sender, request, &result));
        QCOMPARE(result.httpStatus, 200);
        const Received &received = receiver.requests.first();
        QCOMPARE(received.body.size(), 2 * 1024 * 1024);
        QVERIFY(!received.headers.contains("expect"));       // libcurl asks for one over 1 MiB
        QVERIFY(!received.headers.contains("content-type")); // none given, none invented
    }

    void reportsHttpAnswers_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        QTest::addColumn<int>("bodyBytes");
        QTest::addColumn<RetryPolicy::Verdict>("verdict");
        const QByteArray date = "Sun, 06 Nov 1994 08:49:37 GMT";
        QTest::newRow("500") << 500 << QByteArray() << 4 << RetryPolicy::Verdict::Retry;
        QTest::newRow("429") << 429 << QByteArray("120") << 0 << RetryPolicy::Verdict::Retry;
        QTest::newRow("503 with a date") << 503 << date << 10 << RetryPolicy::Verdict::Retry;
        QTest::newRow("404") << 404 << QByteArray() << 10 << RetryPolicy::Verdict::Fail;
        // Cut at maxResponseBytes, the transfer stopped: still delivered.
        QTest::newRow("200, 10 MiB")
            << 200 << QByteArray() << 10 * 1024 * 1024 << RetryPolicy::Verdict::Done;
    }

    void reportsHttpAnswers()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        QFETCH(int, bodyBytes);
        QFETCH(RetryPolicy::Verdict, verdict);
        Receiver receiver;
        const QByteArray body(bodyBytes, 'y');
        receiver.answer = [&](const Received &) {
            Answer answer{status, {}, body};
            if (!retryAfter.isEmpty())
                answer.headers.emplaceBack("Retry-After", retryAfter);
            return answer;
        };
        HttpSender sender(loopbackAllowed());
        SendResult result;
        QVERIFY(sendAndWait(sender, post(receiver.url()), &result));
        QCOMPARE(result.httpStatus, status);
        QCOMPARE(result.retryAfter, retryAfter);
        QCOMPARE(result.responseBody, body.left(64 * 1024));
        QCOMPARE(result.failure, SendFailure::None);
        QVERIFY(result.error.isEmpty());
        QCOMPARE(RetryPolicy::classify(result), verdict);
    }

    void timesOut()
    {
        Receiver receiver;
        receiver.answer = [](const Received &) { return Answer{200, {}, {}, -1}; };
        HttpSender sender(loopbackAllowed());
        SendRequest request = post(receiver.url());
        request.timeoutMs = 300;
        SendResult result;
        QVERIFY(sendAndWait(sender, request, &result));
        QVERIFY(result.timedOut());
        QCOMPARE(result.httpStatus, 0);
        QVERIFY(!result.error.isEmpty());
        QVERIFY2(result.elapsedMs >= 250 && result.elapsedMs < 2000,
                 qPrintable(QString::number(result.elapsedMs)));
        QCOMPARE(RetryPolicy::classify(result), RetryPolicy::Verdict::Retry);
        QTRY_COMPARE(receiver.open, 0); // the connection is closed, not left behind
    }

    void followsRedirectsToTheSameOrigin_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("absolute");
        QTest::newRow("307 relative") << 307 << false;
        QTest::newRow("308 absolute") << 308 << true;
    }

    void followsRedirectsToTheSameOrigin()
    {
        QFETCH(int, status);
        QFETCH(bool, absolute);
        Receiver receiver;
        const QByteArray location =
            absolute ? receiver.url(u"/new"_s).toEncoded() : QByteArray("/new");
        receiver.answer = [&](const Received &request) {
            if (request.target == "/old")
                return Answer{status, {{"Location", location}}, "moved"};
            return Answer{200, {}, "here"};
        };
        HttpSender sender(loopbackAllowed());
        SendResult result;
        QVERIFY(sendAndWait(sender, post(receiver.url(u"/old"_s), "payload"), &result));
        QCOMPARE(result.httpStatus, 200);
        QCOMPARE(result.responseBody, QByteArray("here"));
        QCOMPARE(result.failure, SendFailure::None);
        QCOMPARE(receiver.requests.size(), 2);
        QCOMPARE(receiver.requests[1].target, QByteArray("/new"));
        QCOMPARE(receiver.requests[1].method, QByteArray("POST"));
        QCOMPARE(receiver.requests[1].body, QByteArray("payload"));
        QCOMPARE(receiver.requests[1].headers.value("content-type"),
                 QByteArray("application/json"));
    }

    void refusesRedirectsElsewhere_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("where"); // other: 127.0.0.2; port: another port; scheme: https
        QTest::newRow("307 to another host") << 307 << u"other"_s;
        QTest::newRow("308 to another host") << 308 << u"other"_s;
        QTest::newRow("302 to another host") << 302 << u"other"_s;
        QTest::newRow("302 to the same host") << 302 << u"same"_s;
        QTest::newRow("303 to the same host") << 303 << u"same"_s;
        QTest::newRow("301 to the same host") << 301 << u"same"_s;
        QTest::newRow("307 to another port") << 307 << u"port"_s;
        QTest::newRow("307 to https") << 307 << u"scheme"_s;
    }

    void refusesRedirectsElsewhere()
    {
        QFETCH(int, status);
        QFETCH(QString, where);
        Receiver receiver;
        Receiver otherHost(QHostAddress(u"127.0.0.2"_s));
        if (!otherHost.isListening())
            QSKIP("cannot listen on 127.0.0.2 here");
        Receiver otherPort;
        QUrl target = receiver.url(u"/elsewhere"_s);
        if (where == "other"_L1)
            target = otherHost.url();
        else if (where == "port"_L1)
            target = otherPort.url();
        else if (where == "scheme"_L1)
            target.setScheme(u"https"_s);
        receiver.answer = [&](const Received &) {
            return Answer{status, {{"Location", target.toEncoded()}}, {}};
        };
        HttpSender sender(loopbackAllowed());
        SendResult result;
        QVERIFY(sendAndWait(sender, post(receiver.url()), &result));
        QCOMPARE(result.httpStatus, status);
        QCOMPARE(result.failure, SendFailure::Redirect);
        QVERIFY2(result.error.startsWith(u"redirect to "_s + target.host() + u" not followed"_s),
                 qPrintable(result.error));
        QCOMPARE(RetryPolicy::classify(result), RetryPolicy::Verdict::Fail);
        QCOMPARE(receiver.requests.size(), 1);
        QCOMPARE(otherHost.accepted, 0); // libcurl never went there
        QCOMPARE(otherPort.accepted, 0);
    }

    void stopsAfterThreeRedirects()
    {
        Receiver receiver;
        receiver.answer = [](const Received &) {
            return Answer{307, {{"Location", "/again"}}, {}};
        };
        HttpSender sender(loopbackAllowed());
        SendResult result;
        QVERIFY(sendAndWait(sender, post(receiver.url()), &result));
        QCOMPARE(result.httpStatus, 307);
        QCOMPARE(result.failure, SendFailure::Redirect);
        QVERIFY2(result.error.contains(u"too many redirects"_s), qPrintable(result.error));
        QCOMPARE(receiver.requests.size(), 4); // the first and three followed
    }

    void boundsConcurrency_data()
    {
        QTest::addColumn<int>("maxConcurrent");
        QTest::addColumn<int>("maxPerEndpoint");
        QTest::addColumn<int>("endpoints"); // requests go round-robin to this many endpoints
        QTest::addColumn<int>("mostAtOnce");
        QTest::newRow("per endpoint") << 64 << 2 << 1 << 2;
        QTest::newRow("all together") << 3 << 8 << 3 << 3;
        QTest::newRow("per endpoint, two endpoints") << 64 << 2 << 2 << 4;
    }

    void boundsConcurrency()
    {
        QFETCH(int, maxConcurrent);
        QFETCH(int, maxPerEndpoint);
        QFETCH(int, endpoints);
        QFETCH(int, mostAtOnce);
        Receiver receiver;
        receiver.answer = [](const Received &) { return Answer{200, {}, {}, 150}; };
        SenderOptions options = loopbackAllowed();
        options.maxConcurrent = maxConcurrent;
        options.maxPerEndpoint = maxPerEndpoint;
        HttpSender sender(options);
        QSignalSpy spy(&sender, &HttpSender::finished);
        for (quint64 tag = 1; tag <= 7; ++tag) {
            SendRequest request = post(receiver.url(), "{}", tag);
            request.endpoint = u"endpoint-%1"_s.arg(tag % endpoints);
            sender.send(request);
        }
        QCOMPARE(sender.inFlight(), 7);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 7, 5000);
        QCOMPARE(sender.inFlight(), 0);
        QCOMPARE(receiver.requests.size(), 7);
        QCOMPARE(receiver.maxPending, mostAtOnce);
        for (const QList<QVariant> &signal : spy)
            QCOMPARE(signal.at(0).value<SendResult>().httpStatus, 200);
    }

    void refusesPrivateAddresses_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("named"); // an address the error names
        QTest::newRow("127.0.0.1") << u"127.0.0.1"_s << u"127.0.0.1"_s;
        QTest::newRow("localhost") << u"localhost"_s << u"127.0.0.1"_s;
        QTest::newRow("mapped") << u"[::ffff:127.0.0.1]"_s << u"127.0.0.1"_s;
        QTest::newRow("decimal") << u"2130706433"_s << u"127.0.0.1"_s;
    }

    void refusesPrivateAddresses()
    {
        QFETCH(QString, host);
        QFETCH(QString, named);
        Receiver receiver;
        HttpSender sender(SenderOptions{}); // allowPrivateNetworks = false
        const QUrl url(u"http://%1:%2/hook"_s.arg(host).arg(receiver.url().port()));
        SendResult result;
        QVERIFY(sendAndWait(sender, post(url), &result));
        QVERIFY(result.refusedByPolicy());
        QCOMPARE(result.httpStatus, 0);
        QVERIFY2(result.error.contains(named), qPrintable(result.error));
        QVERIFY2(result.error.contains(u"allowPrivateNetworks"_s), qPrintable(result.error));
        QCOMPARE(RetryPolicy::classify(result), RetryPolicy::Verdict::Fail);
        QCOMPARE(receiver.accepted, 0);
    }

    void reportsConnectionRefused()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        HttpSender sender(loopbackAllowed());
        SendResult result;
        QVERIFY(
            sendAndWait(sender, post(QUrl(u"http://127.0.0.1:%1/"_s.arg(closedPort))), &result));
        QCOMPARE(result.httpStatus, 0);
        QCOMPARE(result.failure, SendFailure::Network);
        QVERIFY(!result.error.isEmpty());
        QCOMPARE(RetryPolicy::classify(result), RetryPolicy::Verdict::Retry);
    }

    void ignoresProxiesFromTheEnvironment()
    {
        // A proxy nobody listens on: a request that used it would fail.
        const auto names = {"http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"};
        for (const char *name : names)
            qputenv(name, "http://127.0.0.1:9/");
        Receiver receiver;
        HttpSender sender(loopbackAllowed());
        SendResult result;
        const bool sent = sendAndWait(sender, post(receiver.url()), &result);
        for (const char *name : names)
            qunsetenv(name);
        QVERIFY(sent);
        QCOMPARE(result.httpStatus, 200);
        QCOMPARE(receiver.accepted, 1);
    }

    void abandonsRequestsWhenDestroyed()
    {
        Receiver receiver;
        receiver.answer = [](const Received &) { return Answer{200, {}, {}, -1}; };
        auto sender = std::make_unique<HttpSender>(loopbackAllowed());
        QSignalSpy spy(sender.get(), &HttpSender::finished);
        for (quint64 tag = 1; tag <= 3; ++tag)
            sender->send(post(receiver.url(), "{}", tag));
        QTRY_COMPARE(receiver.pending, 3);
        QElapsedTimer clock;
        clock.start();
        sender.reset();
        QVERIFY(clock.elapsed() < 1000);
        QTRY_COMPARE(receiver.open, 0); // their connections are closed
        QCOMPARE(spy.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpSender)
#include "tst_httpsender.moc"
