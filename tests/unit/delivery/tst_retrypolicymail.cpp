// SPDX-License-Identifier: Apache-2.0
// RetryPolicy on what an SMTP send comes back with (CurlTransfer's mail results): SMTP's own
// split of transient (4yz) and permanent (5yz) replies, not HTTP's.
#include "delivery/retrypolicy.h"

#include <QTest>

using namespace herald::syncd;
using Verdict = RetryPolicy::Verdict;

Q_DECLARE_METATYPE(SendFailure)
Q_DECLARE_METATYPE(Verdict)

class TestRetryPolicyMail : public QObject
{
    Q_OBJECT

private slots:
    void classifiesMailResults_data()
    {
        QTest::addColumn<int>("reply");
        QTest::addColumn<SendFailure>("failure");
        QTest::addColumn<Verdict>("verdict");
        const auto row = [](const char *name, int reply, SendFailure failure, Verdict verdict) {
            QTest::newRow(name) << reply << failure << verdict;
        };
        row("250 after the data", 250, SendFailure::None, Verdict::Done);
        row("451 try later", 451, SendFailure::Rejected, Verdict::Retry);
        row("421 closing", 421, SendFailure::Rejected, Verdict::Retry);
        row("454 STARTTLS not now", 454, SendFailure::Rejected, Verdict::Retry);
        row("550 no such mailbox", 550, SendFailure::Rejected, Verdict::Fail);
        row("535 login refused", 535, SendFailure::Rejected, Verdict::Fail);
        row("554 refused", 554, SendFailure::Rejected, Verdict::Fail);
        row("no server", 0, SendFailure::Network, Verdict::Retry);
        row("cut after a 250", 250, SendFailure::Network, Verdict::Retry);
        row("timeout", 250, SendFailure::Timeout, Verdict::Retry);
        row("certificate not verified", 220, SendFailure::Tls, Verdict::Fail);
        row("STARTTLS not offered", 250, SendFailure::Tls, Verdict::Fail);
        row("no SMTP configured", 0, SendFailure::Invalid, Verdict::Fail);
    }
    void classifiesMailResults()
    {
        QFETCH(int, reply);
        QFETCH(SendFailure, failure);
        QFETCH(Verdict, verdict);
        SendResult result;
        result.smtpStatus = reply;
        result.failure = failure;
        QCOMPARE(RetryPolicy::classify(result), verdict);
        QCOMPARE(result.status(), reply); // what the delivery log shows as lastStatus
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicyMail)
#include "tst_retrypolicymail.moc"
