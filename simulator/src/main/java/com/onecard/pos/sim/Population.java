package com.onecard.pos.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** A reproducible set of students from a seed: mostly normal cards plus the awkward ones. */
public final class Population {
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "晓东",
            "子涵", "雨桐", "浩然", "欣怡"};

    private Population() {
    }

    /**
     * @param normal students with enough money; poor, unknown, lost and clones are added on top
     */
    public static List<Student> make(long seed, int normal, int poor, int unknown, int lost, int clones) {
        Random r = new Random(seed);
        Set<String> uids = new HashSet<>();
        List<Student> out = new ArrayList<>();
        long account = 20260001;
        for (int i = 0; i < normal; i++) {
            out.add(student(r, uids, account++, Student.Kind.NORMAL, r.nextInt(31) * 100L, (50 + r.nextInt(151)) * 100L));
        }
        for (int i = 0; i < poor; i++) {
            out.add(student(r, uids, account++, Student.Kind.POOR, 0, (1 + r.nextInt(6)) * 100L));
        }
        for (int i = 0; i < lost; i++) {
            out.add(student(r, uids, account++, Student.Kind.LOST, 0, 10_000));
        }
        for (int i = 0; i < unknown; i++) {
            out.add(student(r, uids, 29990001 + i, Student.Kind.UNKNOWN, 0, 0));
        }
        for (int i = 0; i < clones && i < normal; i++) {
            Student victim = out.get(i);
            out.add(new Student(victim.accountId(), "clone of " + victim.name(), victim.uid(), victim.cardSerial(), 0, 0,
                    Student.Kind.CLONE, ""));
        }
        return out;
    }

    private static Student student(Random r, Set<String> uids, long account, Student.Kind kind, long subsidy, long cash) {
        byte[] uid;
        do {
            uid = new byte[4];
            r.nextBytes(uid);
            uid[0] = (byte) (uid[0] == (byte) 0x88 || uid[0] == 0x08 ? 0x11 : uid[0]); // 0x88 cascade tag, 0x08 random-UID marker
        } while (!uids.add(java.util.HexFormat.of().formatHex(uid)));
        String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
        String password = String.format("%06d", r.nextInt(1_000_000));
        return new Student(account, name, uid, 1, subsidy, cash, kind, password);
    }
}
