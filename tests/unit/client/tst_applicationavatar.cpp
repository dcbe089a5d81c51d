// SPDX-License-Identifier: Apache-2.0
#include "ui/applicationavatar.h"

#include <QTest>

using namespace herald::client;
using namespace Qt::StringLiterals;

class TestApplicationAvatar : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initialsAreTheFirstLettersOfTwoWords_data()
    {
        QTest::addColumn<QString>("application");
        QTest::addColumn<QString>("initials");
        QTest::newRow("one word") << u"grafana"_s << u"GR"_s;
        QTest::newRow("dash") << u"build-bot"_s << u"BB"_s;
        QTest::newRow("three words") << u"my ci runner"_s << u"MC"_s;
        QTest::newRow("one letter") << u"x"_s << u"X"_s;
        QTest::newRow("digits") << u"k8s"_s << u"K8"_s;
        QTest::newRow("no letters") << u"--"_s << u"?"_s;
        QTest::newRow("empty") << QString() << u"?"_s;
    }

    void initialsAreTheFirstLettersOfTwoWords()
    {
        QFETCH(QString, application);
        QFETCH(QString, initials);
        QCOMPARE(ApplicationAvatar::initials(application), initials);
    }

    void colourDependsOnTheNameAlone()
    {
        // Fixed values: the colour must not change between runs, builds or devices.
        QCOMPARE(ApplicationAvatar::color(u"demo"_s), ApplicationAvatar::color(u"demo"_s));
        QCOMPARE(ApplicationAvatar::color(u"demo"_s).name(), expectedDemoColour());
    }

    void namesSpreadOverThePalette()
    {
        QSet<QRgb> colours;
        for (const QString &name : {u"ci"_s, u"grafana"_s, u"backup"_s, u"demo"_s, u"mail"_s,
                                    u"monitor"_s, u"deploy"_s, u"web"_s})
            colours.insert(ApplicationAvatar::color(name).rgb());
        QVERIFY2(colours.size() >= 4, "eight applications, at least four colours");
    }

    void coloursAreDarkEnoughForWhiteText()
    {
        for (const QString &name : {u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s, u"f"_s, u"g"_s})
            QVERIFY(ApplicationAvatar::color(name).lightnessF() < 0.6);
    }

private:
    static QString expectedDemoColour()
    {
        // FNV-1a over "demo" picks this entry of the palette.
        quint32 hash = 2166136261u;
        for (const char c : {'d', 'e', 'm', 'o'}) {
            hash ^= quint32(c);
            hash *= 16777619u;
        }
        static const char *palette[] = {"#d32f2f", "#c2185b", "#7b1fa2", "#512da8", "#1976d2",
                                        "#0097a7", "#00796b", "#388e3c", "#f57c00", "#5d4037"};
        return QString::fromLatin1(palette[hash % 10]);
    }
};

QTEST_GUILESS_MAIN(TestApplicationAvatar)
#include "tst_applicationavatar.moc"
