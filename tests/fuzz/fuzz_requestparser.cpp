// SPDX-License-Identifier: Apache-2.0
// RequestParser, herald-syncd's HTTP/1.1 front, on bytes as a client sends them. The input
// starts with four control bytes, then the bytes of the connection:
//   [0] the largest piece to feed at once (0: all in one piece), [1] seeds the piece sizes,
//   [2] even: the daemon's limits (16 KiB head, 64 KiB body, 100 header lines); odd: small
//   limits from [3], so that every limit is reached often.
// Requests are taken between pieces, as HttpConnection does.
//
// Invariants: no request is accepted past a limit (the head's size as sent is found here
// independently of the parser); the status of a refusal is one the parser
// promises; and the same bytes fed in one piece give the same requests and the same outcome,
// wherever the pieces split them.
#include "fuzzcheck.h"

#include "http/requestparser.h"

#include <cstddef>
#include <cstdint>

using namespace herald;
using namespace herald::fuzz;
using namespace herald::syncd;

namespace {

constexpr std::size_t ControlBytes = 4;

struct ParserLimits
{
    int headBytes = 16 * 1024;
    qint64 bodyBytes = 64 * 1024;
    int headerLines = RequestParser::DefaultMaxHeaderLines;
};

ParserLimits limitsFrom(std::uint8_t profile, std::uint8_t size)
{
    if (profile % 2 == 0)
        return {};
    return {16 + size * 4, size, size % 16};
}

struct Outcome
{
    QList<HttpRequest> requests;
    int failure = 0;
    bool upgrade = false;
};

void checkWithinLimits(const HttpRequest &request, const ParserLimits &limits)
{
    check(request.body.size() <= limits.bodyBytes, "body within its limit");
    check(request.headers.size() <= limits.headerLines, "header lines within their limit");
    // What the head holds at the least: method, target, names and values, without the
    // separators and line ends that are counted too.
    qint64 head = request.method.size() + request.target.size();
    for (const auto &[name, value] : request.headers)
        head += name.size() + value.size();
    check(head <= limits.headBytes, "head within its limit",
          QByteArray::number(head) + " > " + QByteArray::number(limits.headBytes));
}

QByteArray headerValue(const HttpRequest &request, const QByteArray &lowercaseName)
{
    for (const auto &[name, value] : request.headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

// Where the head that starts at `start` ends (its last byte), as http_parser reads it: the
// request line ends at its LF; every later line at its LF, or at the byte after its CR,
// whatever that byte is (http_parser is not built strict); an empty line ends the head.
// -1 when the bytes end first.
qsizetype headEnd(const QByteArray &bytes, qsizetype start)
{
    qsizetype i = bytes.indexOf('\n', start);
    if (i < 0)
        return -1;
    ++i;
    while (i < bytes.size()) {
        if (bytes.at(i) == '\n')
            return i;
        if (bytes.at(i) == '\r')
            return i + 1 < bytes.size() ? i + 1 : -1;
        while (i < bytes.size() && bytes.at(i) != '\n' && bytes.at(i) != '\r')
            ++i;
        if (i < bytes.size())
            i += bytes.at(i) == '\r' ? 2 : 1;
    }
    return -1;
}

// The size of each request's head as sent, found without http_parser: from the first byte of
// the request line (CR and LF before it are skipped) to the end of the empty line. The next
// request follows the body; a chunked body, whose framing is not in `body`, ends the walk.
QList<qint64> headSizes(const QByteArray &bytes, const QList<HttpRequest> &requests)
{
    QList<qint64> sizes;
    qsizetype start = 0;
    for (const HttpRequest &request : requests) {
        while (start < bytes.size() && (bytes.at(start) == '\r' || bytes.at(start) == '\n'))
            ++start;
        const qsizetype end = headEnd(bytes, start);
        if (end < 0)
            break;
        sizes.append(end + 1 - start);
        if (!headerValue(request, "transfer-encoding").isEmpty())
            break;
        start = end + 1 + request.body.size();
    }
    return sizes;
}

Outcome parse(const QByteArray &bytes, const ParserLimits &limits, PieceSizes pieces)
{
    RequestParser parser(limits.headBytes, limits.bodyBytes, limits.headerLines);
    Outcome outcome;
    qsizetype offset = 0;
    while (offset < bytes.size() && parser.failureStatus() == 0 && !parser.upgradeRequested()) {
        const qsizetype piece = pieces.next(bytes.size() - offset);
        parser.feed(bytes.constData() + offset, piece);
        offset += piece;
        while (parser.hasRequest())
            outcome.requests.append(parser.takeRequest());
    }
    outcome.failure = parser.failureStatus();
    outcome.upgrade = parser.upgradeRequested();
    const int f = outcome.failure;
    check(f == 0 || f == 400 || f == 413 || f == 431, "refused with 400, 413 or 431",
          QByteArray::number(f));
    check(f == 0 || !parser.failureMessage().isEmpty(), "a refusal says why");
    return outcome;
}

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query &&
           a.headers == b.headers && a.body == b.body && a.keepAlive == b.keepAlive &&
           a.upgrade == b.upgrade;
}

QByteArray describe(const Outcome &o)
{
    return QByteArray::number(o.requests.size()) + " requests, failure " +
           QByteArray::number(o.failure) + (o.upgrade ? ", upgrade" : "");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < ControlBytes)
        return 0;
    const ParserLimits limits = limitsFrom(data[2], data[3]);
    const QByteArray bytes(reinterpret_cast<const char *>(data) + ControlBytes,
                           qsizetype(size - ControlBytes));

    const Outcome inPieces = parse(bytes, limits, PieceSizes(data[0], data[1]));
    for (const HttpRequest &request : inPieces.requests)
        checkWithinLimits(request, limits);
    for (qint64 head : headSizes(bytes, inPieces.requests))
        check(head <= limits.headBytes, "head as sent within its limit",
              QByteArray::number(head) + " > " + QByteArray::number(limits.headBytes));
    if (data[0] == 0)
        return 0; // that was the run in one piece

    const Outcome whole = parse(bytes, limits, PieceSizes(0, 0));
    const QByteArray both = "in pieces: " + describe(inPieces) + "; whole: " + describe(whole);
    check(inPieces.requests.size() == whole.requests.size(), "the same number of requests", both);
    for (qsizetype i = 0; i < whole.requests.size(); ++i)
        check(sameRequest(inPieces.requests.at(i), whole.requests.at(i)), "the same requests",
              both);
    check((inPieces.failure == 0) == (whole.failure == 0), "refused in pieces as in one", both);
    check(inPieces.upgrade == whole.upgrade, "an upgrade in pieces as in one", both);
    return 0;
}
