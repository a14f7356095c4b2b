package dev.coffer.server.identities;

import static dev.coffer.server.identities.IamSupport.arn;
import static dev.coffer.server.identities.IamSupport.deleteConflict;
import static dev.coffer.server.identities.IamSupport.filterPath;
import static dev.coffer.server.identities.IamSupport.noSuchEntity;
import static dev.coffer.server.identities.IamSupport.op;
import static dev.coffer.server.identities.IamSupport.page;
import static dev.coffer.server.identities.IamSupport.path;
import static dev.coffer.server.identities.IamSupport.requireGroup;
import static dev.coffer.server.identities.IamSupport.requireUser;
import static dev.coffer.server.identities.IamTargets.listTarget;
import static dev.coffer.server.identities.IamTargets.target;

import dev.coffer.server.api.CallContext;
import dev.coffer.server.api.Operation;
import dev.coffer.server.error.ErrorCode;
import dev.coffer.server.error.ServiceException;
import dev.coffer.server.identities.IamMessages.*;
import dev.coffer.server.identities.IamSupport.Page;
import dev.coffer.server.store.IdentityRepository.GroupRow;
import dev.coffer.server.store.IdentityRepository.MemberRow;
import dev.coffer.server.store.IdentityRepository.UserRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** IAM groups and their members. */
final class IamGroups {
    private final IamSupport iam;
    private final IamTargets targets;

    IamGroups(IamSupport iam, IamTargets targets) {
        this.iam = iam;
        this.targets = targets;
    }

    List<Operation<?, ?>> operations() {
        return List.of(
                op("CreateGroup", CreateGroupRequest.class, false, this::createGroup,
                        (c, r) -> target(c, arn(c.accountId(), "group", r.Path(), r.GroupName()), Map.of())),
                op("GetGroup", GetGroupRequest.class, true, this::getGroup, (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("ListGroups", ListGroupsRequest.class, true, this::listGroups, (c, r) -> listTarget(c, "group")),
                op("UpdateGroup", UpdateGroupRequest.class, false, this::updateGroup,
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("DeleteGroup", GroupNameRequest.class, false, this::deleteGroup,
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("AddUserToGroup", GroupUserRequest.class, false, this::addUserToGroup,
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("RemoveUserFromGroup", GroupUserRequest.class, false, this::removeUserFromGroup,
                        (c, r) -> targets.groupTarget(c, r.GroupName())),
                op("ListGroupsForUser", ListGroupsForUserRequest.class, true, this::listGroupsForUser,
                        (c, r) -> targets.userTarget(c, r.UserName())));
    }

    GroupResponse createGroup(CallContext ctx, CreateGroupRequest req) {
        String account = ctx.accountId();
        String path = path(req.Path());
        return iam.write(tx -> {
            if (tx.identities().findGroup(account, req.GroupName()).isPresent()) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Group with name " + req.GroupName() + " already exists.");
            }
            GroupRow row = withMac(new GroupRow(account, iam.newId("AGPA"), req.GroupName(), path,
                    arn(account, "group", path, req.GroupName()), iam.clock.millis(), null));
            tx.identities().insertGroup(row);
            return new GroupResponse(group(row));
        });
    }

    GetGroupResponse getGroup(CallContext ctx, GetGroupRequest req) {
        String account = ctx.accountId();
        return iam.read(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            List<UserRow> users = new ArrayList<>();
            for (MemberRow m : tx.identities().membersOf(account, g.groupId())) {
                tx.identities().findUserById(account, m.userId()).ifPresent(users::add);
            }
            users.sort(Comparator.comparing(u -> u.userName().toLowerCase(Locale.ROOT)));
            Page<UserRow> page = page(users, u -> u.userName().toLowerCase(Locale.ROOT), req.Marker(), req.MaxItems());
            return new GetGroupResponse(group(g), page.items().stream().map(u -> IamUsers.user(u, false)).toList(), page.truncated(),
                    page.marker());
        });
    }

    ListGroupsResponse listGroups(CallContext ctx, ListGroupsRequest req) {
        List<GroupRow> rows = iam.read(tx -> tx.identities().groups(ctx.accountId()));
        Page<GroupRow> page = page(filterPath(rows, GroupRow::path, req.PathPrefix()),
                g -> g.groupName().toLowerCase(Locale.ROOT), req.Marker(), req.MaxItems());
        return new ListGroupsResponse(page.items().stream().map(IamGroups::group).toList(), page.truncated(), page.marker());
    }

    Void updateGroup(CallContext ctx, UpdateGroupRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            String name = req.NewGroupName() == null ? g.groupName() : req.NewGroupName();
            String path = req.NewPath() == null ? g.path() : req.NewPath();
            Optional<GroupRow> other = tx.identities().findGroup(account, name);
            if (other.isPresent() && !other.get().groupId().equals(g.groupId())) {
                throw new ServiceException(ErrorCode.EntityAlreadyExists, "Group with name " + name + " already exists.");
            }
            tx.identities().updateGroup(withMac(new GroupRow(account, g.groupId(), name, path, arn(account, "group", path, name),
                    g.createdAt(), null)));
            return null;
        });
    }

    Void deleteGroup(CallContext ctx, GroupNameRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            if (!tx.identities().membersOf(account, g.groupId()).isEmpty()) throw deleteConflict("must remove users from group first.");
            if (!tx.identities().inlinePolicies(account, "group", g.groupId()).isEmpty()) {
                throw deleteConflict("must delete policies first.");
            }
            if (!tx.identities().attachments(account, "group", g.groupId()).isEmpty()) {
                throw deleteConflict("must detach all policies first.");
            }
            tx.identities().deleteGroup(account, g.groupId());
            return null;
        });
    }

    Void addUserToGroup(CallContext ctx, GroupUserRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            UserRow u = requireUser(tx, account, req.UserName());
            boolean member = tx.identities().membershipsOf(account, u.userId()).stream()
                    .anyMatch(m -> m.groupId().equals(g.groupId()));
            if (!member) {
                MemberRow m = new MemberRow(account, g.groupId(), u.userId(), null);
                tx.identities().insertMember(new MemberRow(account, g.groupId(), u.userId(), iam.macs.mac(m)));
            }
            return null;
        });
    }

    Void removeUserFromGroup(CallContext ctx, GroupUserRequest req) {
        String account = ctx.accountId();
        return iam.write(tx -> {
            GroupRow g = requireGroup(tx, account, req.GroupName());
            UserRow u = requireUser(tx, account, req.UserName());
            if (!tx.identities().deleteMember(account, g.groupId(), u.userId())) {
                throw noSuchEntity("The user with name " + req.UserName() + " cannot be found.");
            }
            return null;
        });
    }

    ListGroupsResponse listGroupsForUser(CallContext ctx, ListGroupsForUserRequest req) {
        String account = ctx.accountId();
        List<GroupRow> groups = iam.read(tx -> {
            UserRow u = requireUser(tx, account, req.UserName());
            List<GroupRow> out = new ArrayList<>();
            for (MemberRow m : tx.identities().membershipsOf(account, u.userId())) {
                tx.identities().findGroupById(account, m.groupId()).ifPresent(out::add);
            }
            out.sort(Comparator.comparing(g -> g.groupName().toLowerCase(Locale.ROOT)));
            return out;
        });
        Page<GroupRow> page = page(groups, g -> g.groupName().toLowerCase(Locale.ROOT), req.Marker(), req.MaxItems());
        return new ListGroupsResponse(page.items().stream().map(IamGroups::group).toList(), page.truncated(), page.marker());
    }

    private GroupRow withMac(GroupRow g) {
        return new GroupRow(g.accountId(), g.groupId(), g.groupName(), g.path(), g.arn(), g.createdAt(), iam.macs.mac(g));
    }

    private static Group group(GroupRow g) {
        return new Group(g.path(), g.groupName(), g.groupId(), g.arn(), Instant.ofEpochMilli(g.createdAt()));
    }
}
