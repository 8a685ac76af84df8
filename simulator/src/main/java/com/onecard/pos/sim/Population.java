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

    /** Poor, unknown, lost and cloned cards in a queue of {@link #queue} students: 2 + 1 + 1 + 1. */
    public static final int AWKWARD = 5;

    /**
     * A queue of exactly {@code size} students ({@code size} at least {@link #AWKWARD} + 1): the
     * awkward cards and normal students for the rest.
     */
    public static List<Student> queue(long seed, int size) {
        if (size < AWKWARD + 1) {
            throw new IllegalArgumentException("a queue needs at least " + (AWKWARD + 1) + " students, got " + size);
        }
        return make(seed, size - AWKWARD, 2, 1, 1, 1);
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
                    Student.Kind.CLONE, "", ""));
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
        return new Student(account, name, uid, 1, subsidy, cash, kind, password, nationalId(account));
    }

    /** Regions of the ID numbers: Beijing Chaoyang, Shanghai Huangpu, Shenzhen Futian, Hohhot Xincheng, Chengdu Jinjiang. */
    private static final String[] REGIONS = {"110105", "310101", "440304", "150102", "510104"};

    /**
     * A national ID number for an account, the same for the same account in every run (its own
     * random source, so the students' names and balances do not move): region, birth date
     * 2003-2007, sequence, and the GB 11643-1999 check character (ISO 7064 MOD 11-2).
     */
    static String nationalId(long account) {
        Random r = new Random(account * 7919L);
        java.time.LocalDate birth = java.time.LocalDate.of(2003, 1, 1).plusDays(r.nextInt(5 * 365));
        String body = REGIONS[r.nextInt(REGIONS.length)] + birth.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                + String.format("%03d", r.nextInt(1000));
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }
}
