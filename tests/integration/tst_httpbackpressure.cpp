// SPDX-License-Identifier: Apache-2.0
// Back-pressure on HTTP: a client that pipelines without reading can make the daemon neither
// buffer nor work without bound, nor starve other clients, and its work stops when it leaves;
// a client that pipelines and reads slowly gets every answer, right and in order.
#include "apihelpers.h"
#include "httpclient.h"
#include "sanitizerbuild.h"
#include "syncdprocess.h"
#include "wait.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace herald::test;

namespace {
const QString App = u"shop"_s;
const QString Channel = u"orders"_s;
constexpr int Published = 100; // a listing of limit=100 is full
constexpr qint64 MaxRssGrowthKiB = 50 * 1024;
constexpr qint64 MaxProbeMs = 1000;

// A raw loopback connection that pipelines `payload` as fast as the daemon takes it and reads
// only when asked, with a 4 KiB receive buffer (set before connect, so the TCP window is small
// from the start): whatever the daemon answers backs up at once.
class RawPipeliner
{
public:
    explicit RawPipeliner(QByteArray payload) : m_payload(std::move(payload)) {}
    ~RawPipeliner() { close(); }
    RawPipeliner(const RawPipeliner &) = delete;
    RawPipeliner &operator=(const RawPipeliner &) = delete;

    bool connectTo(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int bufferSize = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bufferSize, sizeof bufferSize);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    }
    // Sends what the kernel takes now, without blocking.
    void pump()
    {
        while (m_fd >= 0 && m_sent < m_payload.size()) {
            const ssize_t n =
                ::send(m_fd, m_payload.constData() + m_sent, size_t(m_payload.size() - m_sent),
                       MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n <= 0) {
                m_failed = n < 0 && errno != EAGAIN && errno != EWOULDBLOCK;
                return;
            }
            m_sent += n;
        }
    }
    // Appends what has arrived, up to `max` bytes, to `into`; false once the daemon closed.
    bool read(QByteArray *into, qsizetype max)
    {
        char buffer[16384];
        const ssize_t n =
            ::recv(m_fd, buffer, size_t(qMin<qsizetype>(max, sizeof buffer)), MSG_DONTWAIT);
        if (n > 0)
            into->append(buffer, n);
        return n != 0 && !(n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }
    // With answers unread, the kernel resets the connection.
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    // The daemon closed or reset the connection.
    bool closedByPeer() const
    {
        pollfd p{m_fd, POLLRDHUP, 0};
        return m_fd >= 0 && ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
    }
    qint64 sent() const { return m_sent; }
    bool failed() const { return m_failed; }

private:
    QByteArray m_payload;
    qint64 m_sent = 0;
    int m_fd = -1;
    bool m_failed = false;
};

// Cuts the first whole response (Content-Length framed, as herald-syncd sends them) off
// `stream`; false while it is incomplete.
bool takeResponse(QByteArray *stream, int *status, QByteArray *body)
{
    const qsizetype headEnd = stream->indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QByteArray head = stream->left(headEnd).toLower();
    const qsizetype at = head.indexOf("\r\ncontent-length:");
    if (at < 0)
        return false;
    const qsizetype lineEnd = head.indexOf("\r\n", at + 2);
    const qsizetype length =
        head.mid(at + 17, (lineEnd < 0 ? head.size() : lineEnd) - at - 17).trimmed().toLongLong();
    if (stream->size() < headEnd + 4 + length)
        return false;
    *status = head.mid(9, 3).toInt();
    *body = stream->mid(headEnd + 4, length);
    stream->remove(0, headEnd + 4 + length);
    return true;
}

// CPU time (user + system) the process has used, in ms; -1 when unknown.
qint64 cpuMs(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // After "pid (comm) ": the command may hold spaces. utime and stime are fields 14 and 15.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return (fields.at(11).toLongLong() + fields.at(12).toLongLong()) * 1000 /
           ::sysconf(_SC_CLK_TCK);
}

// herald_http_requests_total from GET /metrics (this request included); -1 when missing.
qint64 requestsTaken(HttpClient &http)
{
    const HttpResponse response = http.get(u"/metrics"_s);
    for (const QByteArray &line : response.body.split('\n')) {
        if (line.startsWith("herald_http_requests_total{"))
            return qint64(line.mid(line.lastIndexOf(' ') + 1).toDouble());
    }
    return -1;
}
} // namespace

class TestHttpBackPressure : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void nonReadingPipelinersStayBounded_data();
    void nonReadingPipelinersStayBounded();
    void readingPipelinerGetsEveryAnswerInOrder();
    void clientThatReadsNothingIsCutOff();
    void connectionCloseEndsAfterItsAnswer();
    void aMalformedRequestIsRefusedAfterTheAnswersOwedBeforeIt();

private:
    SyncdProcess m_syncd;
    HttpClient m_admin;
    QString m_userToken;
    QString m_adminToken;
};

void TestHttpBackPressure::initTestCase()
{
    QVERIFY2(m_syncd.start(), qPrintable(m_syncd.errorString()));
    const QString admin = m_syncd.createToken(u"admin"_s);
    QVERIFY(!admin.isEmpty());
    m_adminToken = admin;
    m_admin.setBaseUrl(m_syncd.httpUrl());
    m_admin.setToken(admin);
    QVERIFY(createApplication(m_admin, App, {Channel}));
    QVERIFY(createUser(m_admin, u"alice"_s));
    m_userToken = m_syncd.createToken(u"user"_s, {u"--user"_s, u"alice"_s});
    QVERIFY(!m_userToken.isEmpty());
    for (int i = 0; i < Published; ++i)
        QVERIFY(publish(m_admin, App, Channel, u"order %1 shipped"_s.arg(i)) > 0);
    HttpClient user(m_syncd.httpUrl());
    user.setToken(m_userToken);
    const HttpResponse page = user.get(u"/api/v1/notifications?limit=100"_s);
    QCOMPARE(page.object().value("notifications"_L1).toArray().size(), Published);
}

void TestHttpBackPressure::cleanup()
{
    m_syncd.dumpLogIfFailed();
}

void TestHttpBackPressure::nonReadingPipelinersStayBounded_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("connections");
    // The issue's measurements: 5 x 100,000 GET /metrics took the daemon from 315 MB to
    // 1.85 GB; 20,000 listings with a user token to 1.56 GB and other clients waited 46.6 s.
    QTest::newRow("metrics, 5 connections")
        << QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") << 100'000 << 5;
    QTest::newRow("listings with a user token")
        << ("GET /api/v1/notifications?limit=100 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
            m_userToken.toLatin1() + "\r\n\r\n")
        << 20'000 << 1;
}

void TestHttpBackPressure::nonReadingPipelinersStayBounded()
{
    QFETCH(QByteArray, request);
    QFETCH(int, count);
    QFETCH(int, connections);
    HttpClient other(m_syncd.httpUrl());
    other.setToken(m_userToken);
    other.setTimeout(10000);
    // Warm up: the RSS baseline already holds what one answer of each kind costs.
    QCOMPARE(HttpClient::rawRequest(u"127.0.0.1"_s, m_syncd.port(), request).status, 200);
    QCOMPARE(other.get(u"/api/v1/notifications?limit=1"_s).status, 200);
    const qint64 rssBefore = m_syncd.rssKiB();
    const QByteArray logBefore = m_syncd.log();

    std::vector<std::unique_ptr<RawPipeliner>> pipeliners;
    for (int i = 0; i < connections; ++i) {
        pipeliners.push_back(std::make_unique<RawPipeliner>(request.repeated(count)));
        QVERIFY(pipeliners.back()->connectTo(m_syncd.port()));
    }
    QTimer pump;
    connect(&pump, &QTimer::timeout, this, [&] {
        for (const auto &p : pipeliners)
            p->pump();
    });
    pump.start(5);

    // Meanwhile another client is served, on the front thread and through the store.
    qint64 rssMax = rssBefore;
    qint64 probeMaxMs = 0;
    QList<QByteArray> probeFailures;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 6000) {
        for (const QString &path : {u"/healthz"_s, u"/api/v1/notifications?limit=1"_s}) {
            QElapsedTimer probe;
            probe.start();
            const HttpResponse response = other.get(path);
            probeMaxMs = qMax(probeMaxMs, probe.elapsed());
            if (response.status != 200)
                probeFailures.append(path.toUtf8() + ": " + response.describe());
        }
        rssMax = qMax(rssMax, m_syncd.rssKiB());
        const qint64 next = clock.elapsed() + 200;
        waitUntil([&] { return clock.elapsed() >= next; }, 1000);
    }
    pump.stop();
    qint64 sent = 0;
    for (const auto &p : pipeliners)
        sent += p->sent();
    const qint64 taken = requestsTaken(m_admin);
    qInfo("sent %lld of %lld bytes; %lld requests taken in so far; RSS %lld -> max %lld KiB; "
          "slowest probe %lld ms",
          sent, qint64(request.size()) * count * connections, taken, rssBefore, rssMax, probeMaxMs);
    QVERIFY2(probeFailures.isEmpty(), probeFailures.value(0).constData());
    QVERIFY2(probeMaxMs < MaxProbeMs, qPrintable(u"a probe took %1 ms"_s.arg(probeMaxMs)));
    HERALD_VERIFY_RSS_BOUND(rssMax - rssBefore < MaxRssGrowthKiB,
                            qPrintable(u"RSS grew by %1 KiB"_s.arg(rssMax - rssBefore)));

    // They leave with answers unread: whatever they still owed is dropped and no more work
    // starts. The daemon goes quiet (under 10% of a core) soon...
    pipeliners.clear();
    qint64 lastCpu = cpuMs(m_syncd.pid());
    QElapsedTimer window;
    window.start();
    qint64 busyMs = 0;
    bool quiet = false; // waitUntil asks once more at the end: the answer must stick
    waitUntil(
        [&] {
            if (quiet || window.elapsed() < 500)
                return quiet;
            const qint64 cpu = cpuMs(m_syncd.pid());
            busyMs = cpu - lastCpu;
            quiet = busyMs * 10 < window.elapsed();
            lastCpu = cpu;
            window.restart();
            return quiet;
        },
        5000, 50);
    QVERIFY2(quiet,
             qPrintable(u"still %1 ms of CPU per 500 ms after the clients left"_s.arg(busyMs)));
    // ...takes in no request but this test's own...
    const qint64 takenBefore = requestsTaken(m_admin);
    QVERIFY(takenBefore > 0);
    const qint64 later = clock.elapsed() + 1000;
    waitUntil([&] { return clock.elapsed() >= later; }, 2000);
    QCOMPARE(requestsTaken(m_admin) - takenBefore, 1);
    // ...writes nothing to the closed connections and keeps what it grew by small.
    const QByteArray log = m_syncd.log().mid(logBefore.size());
    QVERIFY2(!log.contains("device not open"), log.right(2000).constData());
    QVERIFY2(!log.contains("QIODevice::write"), log.right(2000).constData());
    qInfo("after they left: RSS %lld KiB", m_syncd.rssKiB());
    QCOMPARE(other.get(u"/healthz"_s).status, 200);
}

void TestHttpBackPressure::readingPipelinerGetsEveryAnswerInOrder()
{
    // Three kinds, interleaved: listings (through the store, answered later), unknown paths
    // (404 at once, naming the path) and /healthz (200 at once).
    constexpr int Requests = 3000;
    QByteArray payload;
    const QByteArray auth = "Authorization: Bearer " + m_userToken.toLatin1() + "\r\n";
    for (int i = 0; i < Requests; ++i) {
        QByteArray target;
        if (i % 3 == 0)
            target = "/api/v1/notifications?limit=" + QByteArray::number(i % 40 + 1);
        else if (i % 3 == 1)
            target = "/nope/" + QByteArray::number(i);
        else
            target = "/healthz";
        payload += "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
    }
    RawPipeliner client(payload);
    QVERIFY(client.connectTo(m_syncd.port()));

    // Sends everything it may, reads 8 KiB every 2 ms.
    QByteArray stream;
    int answered = 0;
    QByteArray wrong;
    bool open = true;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&] {
        client.pump();
        open = client.read(&stream, 8192) && open;
        int status = 0;
        QByteArray body;
        while (wrong.isEmpty() && takeResponse(&stream, &status, &body)) {
            const int i = answered++;
            const QJsonObject object = QJsonDocument::fromJson(body).object();
            bool right = false;
            if (i % 3 == 0)
                right = status == 200 &&
                        object.value("notifications"_L1).toArray().size() == i % 40 + 1;
            else if (i % 3 == 1)
                right = status == 404 &&
                        body.contains(QByteArray("/nope/" + QByteArray::number(i) + '"'));
            else
                right = status == 200 && object.value("status"_L1).toString() == u"ok"_s;
            if (!right)
                wrong = "answer " + QByteArray::number(i) + ": " + QByteArray::number(status) +
                        ' ' + body.left(300);
        }
    });
    tick.start(2);
    QVERIFY(waitUntil([&] { return answered == Requests || !wrong.isEmpty() || !open; }, 60000));
    tick.stop();
    QVERIFY2(wrong.isEmpty(), wrong.constData());
    QCOMPARE(answered, Requests);
    QVERIFY(stream.isEmpty());
}

void TestHttpBackPressure::clientThatReadsNothingIsCutOff()
{
    // Closing it gracefully would wait for it to read: once it has taken none of its answers
    // for the idle timeout, it is cut off.
    SyncdProcess syncd;
    QVERIFY2(syncd.start({u"--no-auth"_s, u"--http-idle-timeout-ms"_s, u"1000"_s}),
             qPrintable(syncd.errorString()));
    RawPipeliner client(QByteArray("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").repeated(5000));
    QVERIFY(client.connectTo(syncd.port()));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(waitUntil(
        [&] {
            client.pump();
            return client.closedByPeer();
        },
        10000));
    qInfo("cut off after %lld ms", clock.elapsed());
    QVERIFY2(!syncd.log().contains("QIODevice::write"), syncd.log().right(2000).constData());
    QCOMPARE(HttpClient(syncd.httpUrl()).get(u"/healthz"_s).status, 200);
}

void TestHttpBackPressure::connectionCloseEndsAfterItsAnswer()
{
    // Answers of one turn go out together at its end: the answer to the request that asked
    // to close still follows those before it, and nothing after it is answered.
    const QByteArray get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    RawPipeliner client(
        get + get + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get + get);
    QVERIFY(client.connectTo(m_syncd.port()));
    QByteArray stream;
    bool open = true;
    QVERIFY(waitUntil(
        [&] {
            client.pump();
            open = client.read(&stream, 65536);
            return !open;
        },
        10000));
    int answers = 0;
    int status = 0;
    QByteArray body;
    while (takeResponse(&stream, &status, &body)) {
        ++answers;
        QCOMPARE(status, 200);
    }
    QCOMPARE(answers, 3);
    QVERIFY(stream.isEmpty());
}

void TestHttpBackPressure::aMalformedRequestIsRefusedAfterTheAnswersOwedBeforeIt()
{
    // The persistent publish is answered only after its commit, while the broken request
    // behind it is already parsed: the refusal waits for that answer, then the connection
    // closes.
    const QByteArray body = R"({"application":"shop","channel":"orders","title":"t","message":"m",)"
                            R"("persistent":true})";
    const QByteArray publish =
        "POST /api/v1/notifications HTTP/1.1\r\nHost: x\r\nAuthorization: "
        "Bearer " +
        m_adminToken.toUtf8() +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\n\r\n" + body;
    RawPipeliner client(publish + "NOT HTTP AT ALL\r\n\r\n");
    QVERIFY(client.connectTo(m_syncd.port()));
    QByteArray stream;
    QVERIFY(waitUntil(
        [&] {
            client.pump();
            return !client.read(&stream, 65536);
        },
        10000));
    int status = 0;
    QByteArray answer;
    QVERIFY2(takeResponse(&stream, &status, &answer), stream.constData());
    QCOMPARE(status, 201);
    QVERIFY2(takeResponse(&stream, &status, &answer), stream.constData());
    QCOMPARE(status, 400);
    QVERIFY(stream.isEmpty());
}

QTEST_GUILESS_MAIN(TestHttpBackPressure)
#include "tst_httpbackpressure.moc"
