// SPDX-License-Identifier: Apache-2.0
#include "delivery/retrypolicy.h"

#include <QTest>

using namespace Qt::StringLiterals;
using herald::syncd::RetryPolicy;
using herald::syncd::RetryTiming;
using herald::syncd::SendFailure;
using herald::syncd::SendResult;
using Verdict = herald::syncd::RetryPolicy::Verdict;

Q_DECLARE_METATYPE(SendFailure)
Q_DECLARE_METATYPE(Verdict)

namespace {
constexpr quint32 kLowest = 0;            // jitter factor 0.75
constexpr quint32 kMiddle = 0x80000000u;  // 1.0
constexpr quint32 kHighest = 0xffffffffu; // just under 1.25
const QDateTime kNow = QDateTime(QDate(2024, 3, 10), QTime(12, 0, 0), Qt::UTC);
} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void classifies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<SendFailure>("failure");
        QTest::addColumn<Verdict>("verdict");
        const auto row = [](const char *name, int status, SendFailure failure, Verdict verdict) {
            QTest::newRow(name) << status << failure << verdict;
        };
        row("200", 200, SendFailure::None, Verdict::Done);
        row("201", 201, SendFailure::None, Verdict::Done);
        row("204", 204, SendFailure::None, Verdict::Done);
        row("299", 299, SendFailure::None, Verdict::Done);
        row("2xx then timeout mid-body", 200, SendFailure::Timeout, Verdict::Done);
        row("408", 408, SendFailure::None, Verdict::Retry);
        row("429", 429, SendFailure::None, Verdict::Retry);
        row("500", 500, SendFailure::None, Verdict::Retry);
        row("502", 502, SendFailure::None, Verdict::Retry);
        row("503", 503, SendFailure::None, Verdict::Retry);
        row("599", 599, SendFailure::None, Verdict::Retry);
        row("400", 400, SendFailure::None, Verdict::Fail);
        row("401", 401, SendFailure::None, Verdict::Fail);
        row("404", 404, SendFailure::None, Verdict::Fail);
        row("410", 410, SendFailure::None, Verdict::Fail);
        row("413", 413, SendFailure::None, Verdict::Fail);
        row("404 then broken body", 404, SendFailure::Network, Verdict::Fail);
        row("304 without Location", 304, SendFailure::None, Verdict::Fail);
        row("302 not followed", 302, SendFailure::Redirect, Verdict::Fail);
        row("307 elsewhere", 307, SendFailure::Redirect, Verdict::Fail);
        row("connection refused", 0, SendFailure::Network, Verdict::Retry);
        row("name not resolved", 0, SendFailure::Network, Verdict::Retry);
        row("timeout", 0, SendFailure::Timeout, Verdict::Retry);
        row("TLS verification", 0, SendFailure::Tls, Verdict::Fail);
        row("refused by policy", 0, SendFailure::RefusedByPolicy, Verdict::Fail);
        row("invalid request", 0, SendFailure::Invalid, Verdict::Fail);
    }

    void classifies()
    {
        QFETCH(int, status);
        QFETCH(SendFailure, failure);
        QFETCH(Verdict, verdict);
        SendResult result;
        result.httpStatus = status;
        result.failure = failure;
        QCOMPARE(RetryPolicy::classify(result), verdict);
    }

    void backoffDoublesFromTheInitialDelay()
    {
        const RetryPolicy policy;
        QCOMPARE(policy.nextDelayMs(1, std::nullopt, kMiddle), 1000);
        QCOMPARE(policy.nextDelayMs(2, std::nullopt, kMiddle), 2000);
        QCOMPARE(policy.nextDelayMs(3, std::nullopt, kMiddle), 4000);
        QCOMPARE(policy.nextDelayMs(10, std::nullopt, kMiddle), 512000);
        qint64 previous = 0;
        for (int attempt = 1; attempt <= 10; ++attempt) {
            const qint64 delay = policy.nextDelayMs(attempt, std::nullopt, kMiddle);
            QVERIFY(delay > previous);
            previous = delay;
        }
    }

    void jitterStaysWithinAQuarter()
    {
        const RetryPolicy policy;
        QCOMPARE(policy.nextDelayMs(1, std::nullopt, kLowest), 750);
        QCOMPARE(policy.nextDelayMs(1, std::nullopt, kHighest), 1250);
        QCOMPARE(policy.nextDelayMs(3, std::nullopt, kLowest), 3000);
        for (quint32 random : {kLowest, 1u, 12345678u, kMiddle, 0xdeadbeefu, kHighest}) {
            const qint64 delay = policy.nextDelayMs(4, std::nullopt, random);
            QVERIFY2(delay >= 6000 && delay <= 10000, qPrintable(QString::number(delay)));
        }
        QVERIFY(policy.nextDelayMs(4, std::nullopt, 1u) !=
                policy.nextDelayMs(4, std::nullopt, 0xdeadbeefu));
    }

    void backoffIsCapped()
    {
        const RetryPolicy policy;
        for (int attempt : {11, 12, 30, 64, 1000, std::numeric_limits<int>::max()}) {
            QCOMPARE(policy.nextDelayMs(attempt, std::nullopt, kHighest), 600000);
            QCOMPARE(policy.nextDelayMs(attempt, std::nullopt, kLowest), 450000);
        }
        QCOMPARE(policy.nextDelayMs(0, std::nullopt, kMiddle), 1000); // no attempt yet: the first
        QCOMPARE(policy.nextDelayMs(-5, std::nullopt, kMiddle), 1000);
    }

    void timingIsConfigurable()
    {
        const RetryPolicy policy(RetryTiming{10, 50, 1000});
        QCOMPARE(policy.nextDelayMs(1, std::nullopt, kMiddle), 10);
        QCOMPARE(policy.nextDelayMs(3, std::nullopt, kMiddle), 40);
        QCOMPARE(policy.nextDelayMs(4, std::nullopt, kMiddle), 50);
        QVERIFY(!policy.givesUp(0, 999));
        QVERIFY(policy.givesUp(0, 1000));
    }

    void retryAfterLongerThanTheBackoffIsWaited()
    {
        const RetryPolicy policy;
        QCOMPARE(policy.nextDelayMs(1, 30000, kMiddle), 30000);
        QCOMPARE(policy.nextDelayMs(1, 30000, kHighest), 30000);
    }

    void retryAfterShorterThanTheBackoffIsNot()
    {
        const RetryPolicy policy;
        QCOMPARE(policy.nextDelayMs(5, 0, kMiddle), 16000);
        QCOMPARE(policy.nextDelayMs(5, 2000, kMiddle), 16000);
    }

    void retryAfterIsCappedToo()
    {
        // A day's Retry-After must not park a job past the 24 h give-up time.
        const RetryPolicy policy;
        QCOMPARE(policy.nextDelayMs(1, 86400 * 1000LL, kMiddle), 600000);
    }

    void givesUpAfterMaxAge()
    {
        const RetryPolicy policy;
        const qint64 first = 1'700'000'000'000;
        const qint64 day = 24 * 3600 * 1000LL;
        QVERIFY(!policy.givesUp(first, first));
        QVERIFY(!policy.givesUp(first, first + day - 1));
        QVERIFY(policy.givesUp(first, first + day));
        QVERIFY(policy.givesUp(first, first + 2 * day));
    }

    void parsesRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("ms"); // -1: nullopt
        const auto row = [](const char *name, const char *value, qint64 ms) {
            QTest::newRow(name) << QByteArray(value) << ms;
        };
        row("seconds", "120", 120000);
        row("zero", "0", 0);
        row("padded", " 5 ", 5000);
        row("huge counts as 2^31 s", "99999999999999999999999", (qint64(1) << 31) * 1000);
        row("just over 2^31", "2147483649", (qint64(1) << 31) * 1000);
        row("IMF-fixdate", "Sun, 10 Mar 2024 12:01:30 GMT", 90000);
        row("IMF-fixdate, next day", "Mon, 11 Mar 2024 12:00:00 GMT", 86400000);
        row("IMF-fixdate, wrong weekday still a date", "Fri, 10 Mar 2024 12:00:10 GMT", 10000);
        row("RFC 850", "Sunday, 10-Mar-24 12:00:05 GMT", 5000);
        row("asctime", "Sun Mar 10 12:00:07 2024", 7000);
        row("asctime, one-digit day", "Sat Mar  9 12:00:00 2024", 0); // in the past
        row("past date", "Sun, 06 Nov 1994 08:49:37 GMT", 0);
        row("negative", "-5", -1);
        row("plus sign", "+5", -1);
        row("fraction", "1.5", -1);
        row("empty", "", -1);
        row("words", "soon", -1);
        row("seconds with unit", "5s", -1);
        row("date without GMT", "Sun, 10 Mar 2024 12:01:30", -1);
        row("date in another zone", "Sun, 10 Mar 2024 12:01:30 CET", -1);
        row("bad month", "Sun, 10 Foo 2024 12:01:30 GMT", -1);
        row("bad day", "Sun, 32 Mar 2024 12:01:30 GMT", -1);
        row("bad time", "Sun, 10 Mar 2024 25:01:30 GMT", -1);
        row("short time", "Sun, 10 Mar 2024 12:01 GMT", -1);
        row("bad weekday", "Xyz, 10 Mar 2024 12:01:30 GMT", -1);
        row("two-digit year in IMF", "Sun, 10 Mar 24 12:01:30 GMT", -1);
    }

    void parsesRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, ms);
        const std::optional<qint64> parsed = RetryPolicy::parseRetryAfter(value, kNow);
        if (ms < 0) {
            QVERIFY2(!parsed, qPrintable(QString::number(parsed.value_or(-1))));
        } else {
            QVERIFY(parsed.has_value());
            QCOMPARE(*parsed, ms);
        }
    }

    void parsesDatesWhateverTheLocalZone()
    {
        // `now` in another zone names the same instant.
        const QDateTime localNow = kNow.toOffsetFromUtc(3600 * 5);
        QCOMPARE(RetryPolicy::parseRetryAfter("Sun, 10 Mar 2024 12:01:30 GMT", localNow), 90000);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
