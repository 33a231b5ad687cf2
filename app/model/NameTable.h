#pragma once

#include <QString>
#include <QStringView>

#include <array>
#include <cstddef>
#include <optional>
#include <utility>

namespace cdesk {

// An enum's values and the names they are stored and printed under, read
// both ways from one table, so a name is written down once:
//
//   constexpr NameTable<SubmissionKind, 2> kKinds { { {
//       { SubmissionKind::Create, u"create" }, { SubmissionKind::Update, u"update" } } } };
//   kKinds.name(SubmissionKind::Update) == u"update"
//   kKinds.value(u"create") == SubmissionKind::Create
template<typename Enum, std::size_t N> struct NameTable
{
    std::array<std::pair<Enum, QStringView>, N> entries;

    QString name(Enum value) const
    {
        for (const auto &[v, n] : entries) {
            if (v == value)
                return n.toString();
        }
        return {};
    }

    std::optional<Enum> value(QStringView name) const
    {
        for (const auto &[v, n] : entries) {
            if (n == name)
                return v;
        }
        return std::nullopt;
    }
};

} // namespace cdesk
