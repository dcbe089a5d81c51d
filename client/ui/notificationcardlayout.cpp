// SPDX-License-Identifier: Apache-2.0
#include "notificationcardlayout.h"

#include "model/notificationlistmodel.h"

#include <QFontMetrics>
#include <QStyleOptionViewItem>

namespace herald::client {

namespace {
using M = NotificationListModel;

int buttonHeight(const QFontMetrics &fm)
{
    return fm.height() + 8;
}

bool isRollupMember(const QModelIndex &index)
{
    return index.parent().isValid() && index.parent().data(M::IsRollupRole).toBool();
}

QList<CardButton> buttonsFor(const QModelIndex &index, bool isExpanded)
{
    QList<CardButton> buttons;
    const bool unread = index.data(M::UnreadRole).toBool();
    if (index.data(M::IsRollupRole).toBool()) {
        const int count = index.model()->rowCount(index);
        if (count > 0)
            buttons << CardButton{CardButton::Toggle,
                                  isExpanded
                                      ? NotificationCardLayout::tr("Hide")
                                      : NotificationCardLayout::tr("Show %n", nullptr, count)};
    } else {
        const QString url = index.data(M::UrlRole).toString();
        bool urlCovered = false;
        const auto actions = index.data(M::ActionsRole).value<QList<NotificationAction>>();
        for (const NotificationAction &action : actions) {
            // Only actions with a link do something here: the protocol has no callback.
            if (action.url.isEmpty())
                continue;
            urlCovered = urlCovered || action.url == url;
            buttons << CardButton{CardButton::OpenUrl, action.label, action.url};
        }
        if (!url.isEmpty() && !urlCovered)
            buttons.prepend(
                CardButton{CardButton::OpenUrl, NotificationCardLayout::tr("Open"), url});
    }
    if (unread)
        buttons << CardButton{CardButton::MarkRead, NotificationCardLayout::tr("Mark read")};
    return buttons;
}

bool hasButtons(const QModelIndex &index)
{
    return index.data(M::UnreadRole).toBool() || !index.data(M::UrlRole).toString().isEmpty() ||
           (index.data(M::IsRollupRole).toBool() && index.model()->rowCount(index) > 0) ||
           !index.data(M::ActionsRole).value<QList<NotificationAction>>().isEmpty();
}

bool isHeaderRow(const QModelIndex &index)
{
    return index.data(M::IsGroupRole).toBool() && !index.data(M::IsRollupRole).toBool();
}
} // namespace

int NotificationCardLayout::height(const QStyleOptionViewItem &option, const QModelIndex &index)
{
    const QFontMetrics fm(option.font);
    if (isHeaderRow(index))
        return fm.height() + 2 * Margin + 4;
    const QFontMetrics small(NotificationCardLayout::smallFont(option.font));
    int h = 2 * Padding + fm.lineSpacing() * 3 + small.lineSpacing() + 4;
    if (hasButtons(index))
        h += buttonHeight(fm) + 6;
    return std::max(h, AvatarSize + 2 * Padding) + Margin;
}

NotificationCardLayout NotificationCardLayout::compute(const QStyleOptionViewItem &option,
                                                       const QModelIndex &index, bool isExpanded)
{
    NotificationCardLayout layout;
    const QFontMetrics fm(option.font);
    const int left = isRollupMember(index) ? MemberIndent : 0;
    if (isHeaderRow(index)) {
        layout.isHeader = true;
        layout.card = option.rect.adjusted(Margin + left, Margin, -Margin, -2);
        layout.title = layout.card.adjusted(4, 0, -4, 0);
        // The whole header opens and closes its channel.
        layout.buttons << CardButton{CardButton::Toggle, {}, {}, layout.card, false};
        return layout;
    }
    layout.card = option.rect.adjusted(Margin + left, Margin / 2, -Margin, -Margin / 2);
    const QRect inner = layout.card.adjusted(Padding, Padding, -Padding, -Padding);
    layout.avatar = QRect(inner.topLeft(), QSize(AvatarSize, AvatarSize));
    const int textLeft = layout.avatar.right() + 1 + Padding;
    const int textWidth = std::max(0, inner.right() + 1 - textLeft);

    const QString time =
        index.data(M::TimeRole).toDateTime().isValid() ? QStringLiteral("00 min ago") : QString();
    const int timeWidth =
        time.isEmpty()
            ? 0
            : QFontMetrics(NotificationCardLayout::smallFont(option.font)).horizontalAdvance(time) +
                  24;
    int y = inner.top();
    layout.title = QRect(textLeft, y, std::max(0, textWidth - timeWidth), fm.lineSpacing());
    layout.time = QRect(layout.title.right() + 1, y, timeWidth, fm.lineSpacing());
    y += fm.lineSpacing() + 2;
    layout.message = QRect(textLeft, y, textWidth, 2 * fm.lineSpacing());
    y += 2 * fm.lineSpacing() + 2;
    const QFontMetrics small(NotificationCardLayout::smallFont(option.font));
    layout.source = QRect(textLeft, y, textWidth, small.lineSpacing());
    y += small.lineSpacing() + 6;

    int x = textLeft;
    for (CardButton button : buttonsFor(index, isExpanded)) {
        const int width = fm.horizontalAdvance(button.label) + 24;
        if (x + width > inner.right() + 1)
            break; // what does not fit stays in the context menu and the buttons below
        button.rect = QRect(x, y, width, buttonHeight(fm));
        layout.buttons << button;
        x += width + 6;
    }
    return layout;
}

const CardButton *NotificationCardLayout::buttonAt(const QPoint &pos) const
{
    for (const CardButton &button : buttons) {
        if (button.rect.contains(pos))
            return &button;
    }
    return nullptr;
}

QFont NotificationCardLayout::smallFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.9);
    return font;
}

} // namespace herald::client
