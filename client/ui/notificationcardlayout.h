// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QRect>
#include <QString>

class QFontMetrics;
class QModelIndex;
class QStyleOptionViewItem;

namespace herald::client {

// A button painted on a card. OpenUrl stands for the notification's own link and for its
// actions that carry one (the popups' "Open" path); MarkRead for the popups' "Mark as read";
// Toggle opens or closes a rollup or a channel.
struct CardButton
{
    enum Kind
    {
        OpenUrl,
        MarkRead,
        Toggle
    };
    Kind kind = OpenUrl;
    QString label;
    QString url; // OpenUrl only
    QRect rect;
    bool painted = true; // false: a click area without a face (a channel header)
};

// Where everything on one row of the list sits, worked out once for painting, size hints
// and clicks so they cannot disagree. Three shapes: a channel header (one line), a
// notification card and a rollup card (avatar, title, message, source, buttons).
struct NotificationCardLayout
{
    Q_DECLARE_TR_FUNCTIONS(herald::client::NotificationCardLayout)

public:
    static constexpr int Margin = 6;  // between cards and the view's edges
    static constexpr int Padding = 8; // inside a card
    static constexpr int AvatarSize = 36;
    static constexpr int MemberIndent = 24; // a rollup's members sit under it

    bool isHeader = false;
    QRect card;
    QRect avatar;
    QRect title;
    QRect time;
    QRect message; // two lines
    QRect source;  // "application / channel"
    QList<CardButton> buttons;

    // isExpanded: whether the row's children show (a rollup's button says "Hide").
    static NotificationCardLayout compute(const QStyleOptionViewItem &option,
                                          const QModelIndex &index, bool isExpanded);
    // The height of a row: it does not depend on the width, so scrolling stays cheap.
    static int height(const QStyleOptionViewItem &option, const QModelIndex &index);
    // The font of a card's secondary lines (time, application / channel, buttons).
    static QFont smallFont(const QFont &base);
    // The button under pos, or nullptr.
    const CardButton *buttonAt(const QPoint &pos) const;
};

} // namespace herald::client
