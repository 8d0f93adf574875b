//! Groups of units (nhóm đơn vị) that the plan names instead of units.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::fold_dashes;
use crate::unit::{Unit, UnitKind};

/// Nhóm đơn vị — a group id of the vocabulary, expanding to units by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupId {
    /// UBND các xã, thị trấn
    Communes,
    /// các phòng, ban, ngành cấp huyện
    DistrictAgencies,
    /// các đơn vị sự nghiệp
    PublicServiceUnits,
    /// các trường học
    Schools,
    /// các cơ quan, đơn vị, địa phương
    AllUnits,
    /// các cơ quan liên quan: unspecified; the standing office picks the units
    Related,
}

/// The phrases of each group, as met in plans. Matched by [`fold_dashes`] after stripping a
/// leading "các"/"UBND".
const PHRASES: &[(GroupId, &[&str])] = &[
    (
        GroupId::Communes,
        &[
            "UBND các xã, thị trấn",
            "các xã, thị trấn",
            "UBND cấp xã",
            "UBND các cấp xã",
            "UBND các xã",
            "các xã",
            "xã, thị trấn",
            "Bộ phận 1 cửa cấp xã",
            "Bộ phận 1 cửa các xã, thị trấn",
            "bộ phận một cửa cấp xã",
            "các địa phương",
        ],
    ),
    (
        GroupId::DistrictAgencies,
        &[
            "các phòng, ban, ngành cấp huyện",
            "các phòng, ban chuyên môn",
            "các phòng, ban cấp huyện",
            "các phòng, ban, ngành",
            "các phòng chuyên môn",
            "các phòng, ban",
            "các cơ quan chuyên môn",
            "các phòng, ban thuộc UBND huyện",
            "các phòng, ban chuyên môn, đơn vị thuộc UBND huyện",
            "các phòng, ban, đơn vị thuộc UBND huyện",
            "các phòng, ban, đơn vị",
        ],
    ),
    (
        GroupId::PublicServiceUnits,
        &[
            "các đơn vị sự nghiệp",
            "các ĐVSN",
            "các đơn vị SNCL",
            "các đơn vị sự nghiệp công lập",
            "các đơn vị sự nghiệp thuộc UBND huyện",
            "các đơn vị HCSN",
        ],
    ),
    (
        GroupId::Schools,
        &[
            "các trường học",
            "trường học",
            "Trường MN, TH THCS",
            "trường MN, TH, THCS",
            "các trường",
        ],
    ),
    (
        GroupId::AllUnits,
        &[
            "các cơ quan, đơn vị, địa phương",
            "cơ quan, đơn vị, địa phương",
            "các cơ quan, đơn vị",
            "các cơ quan, ban, ngành, đơn vị",
            "các phòng, ban, đơn vị, địa phương",
            "các cơ quan, đơn vị, trường học",
        ],
    ),
    (
        GroupId::Related,
        &[
            "các cơ quan liên quan",
            "đơn vị liên quan",
            "các đơn vị liên quan",
            "cơ quan, đơn vị liên quan",
            "các cơ quan, đơn vị liên quan",
            "các phòng, đơn vị liên quan",
            "các cơ quan liên quan khác",
            "các đơn vị có liên quan",
            "đơn vị có liên quan",
            "các phòng, ban, đơn vị liên quan",
            "các phòng, ban, cơ quan, đơn vị liên quan",
        ],
    ),
];

impl GroupId {
    pub const ALL: [GroupId; 6] = [
        GroupId::Communes,
        GroupId::DistrictAgencies,
        GroupId::PublicServiceUnits,
        GroupId::Schools,
        GroupId::AllUnits,
        GroupId::Related,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupId::Communes => "communes",
            GroupId::DistrictAgencies => "district-agencies",
            GroupId::PublicServiceUnits => "public-service-units",
            GroupId::Schools => "schools",
            GroupId::AllUnits => "all-units",
            GroupId::Related => "related",
        }
    }

    pub fn parse(s: &str) -> Option<GroupId> {
        GroupId::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// Vietnamese label for pages.
    pub fn label_vi(self) -> &'static str {
        match self {
            GroupId::Communes => "UBND các xã, thị trấn",
            GroupId::DistrictAgencies => "Các phòng, ban, ngành cấp huyện",
            GroupId::PublicServiceUnits => "Các đơn vị sự nghiệp",
            GroupId::Schools => "Các trường học",
            GroupId::AllUnits => "Các cơ quan, đơn vị, địa phương",
            GroupId::Related => "Các cơ quan liên quan (chưa xác định)",
        }
    }

    /// The vocabulary phrases of this group.
    pub fn phrases(self) -> &'static [&'static str] {
        PHRASES
            .iter()
            .find(|(g, _)| *g == self)
            .map(|(_, p)| *p)
            .unwrap_or(&[])
    }

    /// The group a phrase names, if any.
    pub fn lookup(phrase: &str) -> Option<GroupId> {
        let key = fold_dashes(phrase);
        let key = key.trim_end_matches(['.', ';', ',']).trim();
        PHRASES
            .iter()
            .find(|(_, ps)| ps.iter().any(|p| fold_dashes(p) == key))
            .map(|(g, _)| *g)
    }

    /// Whether a unit belongs to the group. `Related` holds no unit until someone picks them.
    pub fn contains(self, u: &Unit) -> bool {
        use UnitKind::*;
        match self {
            GroupId::Communes => matches!(u.kind, Township | Commune),
            GroupId::DistrictAgencies => u.kind == DistrictOffice,
            GroupId::PublicServiceUnits => {
                matches!(u.kind, PublicServiceUnit | PublicServiceCentre | School)
            }
            GroupId::Schools => u.kind == School,
            GroupId::AllUnits => !matches!(u.kind, Province | ProvincialDepartment | District),
            GroupId::Related => false,
        }
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
