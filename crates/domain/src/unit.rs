//! Units (đơn vị) and their registry: a tree of any depth.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::group::GroupId;
use crate::text::fold_dashes;

/// Mã đơn vị — a stable unit id such as `phong-noi-vu`: lower-case ASCII letters, digits, '-'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitId(String);

impl UnitId {
    /// Parses an id; the error says, in Vietnamese, what is wrong.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("mã đơn vị trống".into());
        }
        if s.len() > 64 {
            return Err(format!("mã đơn vị «{s}» dài quá 64 ký tự"));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!(
                "mã đơn vị «{s}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang"
            ));
        }
        Ok(UnitId(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UnitId {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        UnitId::parse(&s)
    }
}
impl From<UnitId> for String {
    fn from(u: UnitId) -> String {
        u.0
    }
}
impl fmt::Display for UnitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Loại đơn vị — the kind of a unit, as the registry names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    ProvincialDepartment,
    District,
    DistrictOffice,
    PublicServiceCentre,
    PublicServiceUnit,
    School,
    Police,
    MassOrganisation,
    Township,
    Commune,
}

impl UnitKind {
    pub const ALL: [UnitKind; 11] = [
        UnitKind::Province,
        UnitKind::ProvincialDepartment,
        UnitKind::District,
        UnitKind::DistrictOffice,
        UnitKind::PublicServiceCentre,
        UnitKind::PublicServiceUnit,
        UnitKind::School,
        UnitKind::Police,
        UnitKind::MassOrganisation,
        UnitKind::Township,
        UnitKind::Commune,
    ];

    /// The registry's spelling (`district_office`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::ProvincialDepartment => "provincial_department",
            UnitKind::District => "district",
            UnitKind::DistrictOffice => "district_office",
            UnitKind::PublicServiceCentre => "public_service_centre",
            UnitKind::PublicServiceUnit => "public_service_unit",
            UnitKind::School => "school",
            UnitKind::Police => "police",
            UnitKind::MassOrganisation => "mass_organisation",
            UnitKind::Township => "township",
            UnitKind::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Vietnamese label for pages.
    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh",
            UnitKind::ProvincialDepartment => "Sở, ngành tỉnh",
            UnitKind::District => "Huyện",
            UnitKind::DistrictOffice => "Phòng, ban cấp huyện",
            UnitKind::PublicServiceCentre => "Trung tâm Phục vụ hành chính công",
            UnitKind::PublicServiceUnit => "Đơn vị sự nghiệp",
            UnitKind::School => "Trường học",
            UnitKind::Police => "Công an",
            UnitKind::MassOrganisation => "Mặt trận, đoàn thể",
            UnitKind::Township => "Thị trấn",
            UnitKind::Commune => "Xã",
        }
    }

    /// Cấp: commune level for townships and communes, district level for the rest.
    pub fn level(self) -> UnitLevel {
        match self {
            UnitKind::Township | UnitKind::Commune => UnitLevel::Commune,
            UnitKind::Province | UnitKind::ProvincialDepartment => UnitLevel::Province,
            _ => UnitLevel::District,
        }
    }
}

/// Cấp — the level of government a unit works at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    Province,
    /// cấp huyện
    District,
    /// cấp xã
    Commune,
}

/// Đơn vị — one unit of the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where the registry took the unit from (`plan`, `standard`, `commune-list`).
    #[serde(default)]
    pub source: String,
}

/// What a phrase of a document names: one unit or a group of units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    Unit(UnitId),
    Group(GroupId),
}

/// Danh mục đơn vị — the unit registry with its alias index.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    units: Vec<Unit>,
    by_id: HashMap<UnitId, usize>,
    by_key: HashMap<String, UnitId>,
}

impl Registry {
    pub fn new(units: Vec<Unit>) -> Self {
        let mut r = Registry::default();
        for u in units {
            r.insert(u);
        }
        r
    }

    fn insert(&mut self, u: Unit) {
        for phrase in std::iter::once(&u.name).chain(u.aliases.iter()) {
            self.by_key
                .entry(fold_dashes(phrase))
                .or_insert_with(|| u.id.clone());
        }
        if let Some(&i) = self.by_id.get(&u.id) {
            self.units[i] = u;
        } else {
            self.by_id.insert(u.id.clone(), self.units.len());
            self.units.push(u);
        }
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn get(&self, id: &UnitId) -> Option<&Unit> {
        self.by_id.get(id).map(|&i| &self.units[i])
    }

    /// The unit whose name or alias is `phrase`, tolerant of case, diacritics-as-typed, spacing
    /// and dash variants. Groups are looked up with [`GroupId::lookup`].
    pub fn lookup(&self, phrase: &str) -> Option<&UnitId> {
        self.by_key.get(&fold_dashes(phrase))
    }

    /// A unit or a group named by `phrase`, units first.
    pub fn resolve(&self, phrase: &str) -> Option<Named> {
        if let Some(id) = self.lookup(phrase) {
            return Some(Named::Unit(id.clone()));
        }
        GroupId::lookup(phrase).map(Named::Group)
    }

    /// Children of a unit, in registry order.
    pub fn children(&self, id: &UnitId) -> impl Iterator<Item = &Unit> {
        let id = id.clone();
        self.units
            .iter()
            .filter(move |u| u.parent.as_ref() == Some(&id))
    }

    /// The units a group stands for.
    pub fn expand(&self, group: GroupId) -> Vec<&Unit> {
        self.units.iter().filter(|u| group.contains(u)).collect()
    }
}
