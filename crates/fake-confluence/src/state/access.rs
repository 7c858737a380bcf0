//! Access rules as data: the fake's own account, the users and groups it knows, page
//! restrictions and whether a restriction lets the account through. The rule every lookup
//! applies (ancestors, public spaces, late commits) is in `visibility`.

use crate::model::Flavor;

/// Page restrictions: who may read and who may update a page. Users are named by `username` on
/// Data Center and by `accountId` on Cloud; groups by name. Empty lists mean "not restricted".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restrictions {
    pub read_users: Vec<String>,
    pub read_groups: Vec<String>,
    pub update_users: Vec<String>,
    pub update_groups: Vec<String>,
}

impl Restrictions {
    pub fn is_empty(&self) -> bool {
        self.read_users.is_empty()
            && self.read_groups.is_empty()
            && self.update_users.is_empty()
            && self.update_groups.is_empty()
    }

    pub(crate) fn users(&self, op: Op) -> &[String] {
        match op {
            Op::Read => &self.read_users,
            Op::Update => &self.update_users,
        }
    }

    pub(crate) fn groups(&self, op: Op) -> &[String] {
        match op {
            Op::Read => &self.read_groups,
            Op::Update => &self.update_groups,
        }
    }

    pub(crate) fn users_mut(&mut self, op: Op) -> &mut Vec<String> {
        match op {
            Op::Read => &mut self.read_users,
            Op::Update => &mut self.update_users,
        }
    }

    pub(crate) fn groups_mut(&mut self, op: Op) -> &mut Vec<String> {
        match op {
            Op::Read => &mut self.read_groups,
            Op::Update => &mut self.update_groups,
        }
    }
}

/// The restriction operations pages support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Read,
    Update,
}

impl Op {
    pub const ALL: [Op; 2] = [Op::Read, Op::Update];

    pub fn parse(s: &str) -> Option<Op> {
        match s {
            "read" => Some(Op::Read),
            "update" => Some(Op::Update),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Read => "read",
            Op::Update => "update",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct UserRec {
    /// `username` (Data Center) or `accountId` (Cloud).
    pub name: String,
    /// Data Center's `userKey`.
    pub key: String,
    /// The name people see; empty: the username (Data Center) or the accountId's last part (Cloud).
    pub display: String,
}

#[derive(Debug, Clone)]
pub(crate) struct GroupRec {
    pub name: String,
    /// Cloud's group id.
    pub id: String,
}

/// The Data Center account's username and key.
pub(crate) const DC_ME: &str = "admin";
pub(crate) const DC_ME_KEY: &str = "8aa1a2b36d7d0f59016d7d1043a80000";
/// The Cloud account's id.
pub(crate) const CLOUD_ME: &str = "557058:f0e1d2c3-b4a5-4697-8899-aabbccddeeff";
/// The group the fake's account belongs to.
pub(crate) const MY_GROUP: &str = "confluence-users";
/// The user [`crate::FakeConfluence::restrict`] restricts pages to.
pub(crate) const PRIVATE_OWNER: &str = "private-owner";

/// The users and groups the fake knows.
#[derive(Debug)]
pub(crate) struct Directory {
    /// The fake's own account (`username` or `accountId`).
    pub me: String,
    pub my_groups: Vec<String>,
    pub users: Vec<UserRec>,
    pub groups: Vec<GroupRec>,
    counter: u64,
}

impl Directory {
    /// The account itself, users `alice` and `bob` (`557058:alice`, `557058:bob` on Cloud) and
    /// groups `confluence-users` (the account's), `confluence-administrators` and `team-a`.
    pub fn new(flavor: Flavor) -> Directory {
        let (me, others) = match flavor {
            Flavor::DataCenter => (DC_ME, ["alice", "bob"]),
            Flavor::Cloud => (CLOUD_ME, ["557058:alice", "557058:bob"]),
        };
        let mut dir = Directory {
            me: me.to_string(),
            my_groups: vec![MY_GROUP.to_string()],
            users: vec![UserRec { name: me.to_string(), key: DC_ME_KEY.to_string(), display: String::new() }],
            groups: Vec::new(),
            counter: 0,
        };
        for name in others {
            dir.add_user(name);
        }
        for group in [MY_GROUP, "confluence-administrators", "team-a"] {
            dir.add_group(group);
        }
        dir
    }

    pub fn add_user(&mut self, name: &str) {
        if self.user(name).is_none() {
            self.counter += 1;
            let key = format!("8aa1a2b36d7d0f59016d7d10{:08x}", self.counter);
            self.users.push(UserRec { name: name.to_string(), key, display: String::new() });
        }
    }

    pub fn add_group(&mut self, name: &str) {
        if self.group(name).is_none() {
            self.counter += 1;
            let id = format!("5f3c0a1e-0000-4000-8000-{:012x}", self.counter);
            self.groups.push(GroupRec { name: name.to_string(), id });
        }
    }

    /// Registers a user (if unknown) with the name people see.
    pub fn add_person(&mut self, name: &str, display: &str) {
        self.add_user(name);
        if let Some(user) = self.users.iter_mut().find(|u| u.name == name) {
            user.display = display.to_string();
        }
    }

    pub fn remove_user(&mut self, name: &str) {
        self.users.retain(|u| u.name != name);
    }

    pub fn remove_group(&mut self, name: &str) {
        self.groups.retain(|g| g.name != name);
    }

    pub fn user(&self, name: &str) -> Option<&UserRec> {
        self.users.iter().find(|u| u.name == name)
    }

    pub fn user_by_key(&self, key: &str) -> Option<&UserRec> {
        self.users.iter().find(|u| u.key == key)
    }

    pub fn group(&self, name: &str) -> Option<&GroupRec> {
        self.groups.iter().find(|g| g.name == name)
    }

    pub fn group_by_id(&self, id: &str) -> Option<&GroupRec> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Does `op`'s restriction on one page let the account through?
    pub fn permits_me(&self, r: &Restrictions, op: Op) -> bool {
        let (users, groups) = (r.users(op), r.groups(op));
        (users.is_empty() && groups.is_empty())
            || users.contains(&self.me)
            || groups.iter().any(|g| self.my_groups.contains(g))
    }
}
