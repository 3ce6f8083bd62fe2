//go:build ignore

// gen writes common.txt: passwords a guesser tries first, lower-cased, one a
// line, only those of 6 characters or more (shorter ones fail the length
// rule anyway). Dates are not listed: the store recognises them in code.
//
//	go run gen.go > common.txt
package main

import (
	"fmt"
	"sort"
	"strings"
)

// Well-known leaked-list favourites, English and Vietnamese.
var base = []string{
	"password", "passw0rd", "p@ssw0rd", "p@ssword", "password1", "password12", "password123", "password1234",
	"iloveyou", "iloveyou1", "iloveyou2", "princess", "sunshine", "football", "baseball", "superman", "starwars",
	"whatever", "trustno1", "welcome1", "welcome123", "letmein1", "abc12345", "abcd1234", "abcdefgh", "admin123",
	"admin1234", "administrator", "changeme", "computer", "internet", "master123", "michael1", "jennifer",
	"liverpool", "chelsea1", "manchester", "arsenal1", "barcelona", "realmadrid", "pokemon1", "dragon12",
	"monkey12", "shadow12", "qwerty123", "qwerty1234", "qwertyui", "qwertyuiop", "asdfghjk", "asdfghjkl",
	"zxcvbnm1", "zxcvbnm123", "1qaz2wsx", "1qaz2wsx3edc", "qazwsxedc", "qazwsx123", "1q2w3e4r", "1q2w3e4r5t",
	"1q2w3e4r5t6y", "q1w2e3r4", "q1w2e3r4t5", "a1b2c3d4", "zaq12wsx", "!qaz2wsx", "qwer1234", "asdf1234",
	"zxcv1234", "1234qwer", "1234asdf", "qweasdzxc", "asdfasdf", "qwerqwer", "aaaaaaaa", "abcabcabc",
	"matkhau", "matkhau1", "matkhau12", "matkhau123", "matkhau1234", "matkhaumoi", "matkhaucuatoi",
	"anhyeuem", "anhyeuem1", "anhyeuem123", "anhyeuemnhieu", "emyeuanh", "emyeuanh1", "emyeuanh123", "yeuem123",
	"yeuanh123", "yeuemnhieu", "yeuemmaimai", "anhyeuem2", "iloveu123", "em yeu anh", "anh yeu em",
	"123456a@", "123456aa", "123456ab", "123456a", "123456@a", "a123456@", "a@123456", "aa123456", "abc123456",
	"123456abc", "1234567a", "12345678a", "a12345678", "123456789a", "a123456789", "123456aA@", "123456Aa@",
	"Aa123456", "Aa@123456", "Aa123456@", "Abc@123", "Abc@1234", "Abc@12345", "Abc@123456", "abc@1234",
	"Admin@123", "Admin@1234", "admin@123", "Admin123@", "Thonghanh@123", "P@ssw0rd123", "P@ssword1",
	"vietnam1", "vietnam123", "vietnam2021", "vietnamvodich", "hanoi123", "saigon123", "hochiminh",
	"tiengiang", "tiengiang1", "tiengiang123", "mytho123", "thonghanh", "thonghanh1", "thonghanh123",
	"covid19", "covid2021", "covid-19", "chongdich", "phongchongdich", "cachly123", "ubndxa123", "ubnd1234",
	"congan123", "canbo123", "duyet123", "quantri", "quantri123", "kiemtra123", "demo1234", "test1234",
	"khongbiet", "khongcomatkhau", "chaoban", "xinchao", "xinchao123", "hello123", "helloworld",
	"giadinh", "giadinh123", "hanhphuc", "hanhphuc123", "thanhcong", "tinhyeu", "tinhyeu123", "muahe123",
	"conmeo123", "concho123", "meyeu123", "bame1234", "bomeyeu", "yeume123", "cuocsong", "doilaphu",
	"sinhnhat", "trangiang", "nguoiyeu", "emlaai123", "emmaimai", "maimaiben", "mattroi", "bautroi",
	"tieuthu", "hoangtu", "congchua", "thiencan", "thiensu", "banbe123",
}

var walks = []string{
	"qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "0987654321", "1qaz2wsx3edc4rfv", "qazwsxedcrfv",
	"!@#$%^&*", "!@#$%^&*()", "1q2w3e4r5t6y7u8i", "qweasdzxc123", "poiuytrewq", "lkjhgfdsa", "mnbvcxz",
	"zaq1xsw2", "zaq1zaq1", "q1w2e3r4t5y6", "1a2s3d4f", "147258369", "159357", "159753", "963852741",
	"741852963", "123698745", "147852369", "qwe123qwe", "qwe123", "asd123", "zxc123", "123qwe", "123asd",
	"123zxc", "qweqwe", "asdasd", "zxczxc", "1q2w3e", "qwaszx", "qazxsw", "wsxedc", "1qazxsw2",
}

// Vietnamese surnames and given names, without tone marks, as people type them.
var names = []string{
	"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
	"duong", "ly", "anh", "minh", "hung", "linh", "huong", "lan", "mai", "hoa", "tuan", "nam", "long",
	"trang", "thao", "hang", "ngoc", "phuong", "thu", "ha", "hai", "son", "duc", "dung", "hieu", "khanh",
	"quang", "thanh", "trung", "tam", "tien", "vy", "yen", "nhung", "nhi", "nga", "loan", "hien", "giang",
	"dat", "phuc", "thinh", "vinh", "bao", "huy", "kiet", "khoa", "quan", "tai", "tri", "tu", "uyen",
	"van", "xuan", "thuy", "hanh", "diem", "kim", "my", "ngan", "oanh", "quynh", "sang", "tho", "trinh",
}

var suffixes = []string{
	"123", "1234", "12345", "123456", "1234567", "12345678", "@123", "@1234", "123@", "@123456", "111", "000",
	"999", "888", "686", "68", "86", "2000", "2001", "2002", "2003", "2004", "2005", "1990", "1995", "1999",
	"2020", "2021", "2022", "@2021", "!@#", "yeuem", "xinhdep", "dethuong", "cute",
}

func main() {
	set := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(s)
		if len([]rune(s)) >= 6 {
			set[s] = true
		}
	}
	for _, s := range base {
		add(s)
	}
	for _, s := range walks {
		add(s)
		add(s + "1")
		add(s + "123")
		add(strings.ToUpper(s[:1]) + s[1:] + "@")
	}
	// Runs and repeats of digits: 12345678…, 11111111, 12121212.
	digits := "01234567890123456789"
	for n := 8; n <= 12; n++ {
		for i := 0; i+n <= len(digits); i++ {
			add(digits[i : i+n])
		}
		rev := "98765432109876543210"
		for i := 0; i+n <= len(rev); i++ {
			add(rev[i : i+n])
		}
		for d := '0'; d <= '9'; d++ {
			add(strings.Repeat(string(d), n))
		}
	}
	for a := 0; a <= 9; a++ {
		for b := 0; b <= 9; b++ {
			add(strings.Repeat(fmt.Sprintf("%d%d", a, b), 4))
			add(strings.Repeat(fmt.Sprintf("%d%d", a, b), 5))
		}
	}
	for _, n := range names {
		for _, s := range suffixes {
			add(n + s)
		}
		add(n + n)
		add("anhyeu" + n)
		add("emyeu" + n)
		add("yeu" + n + "123")
	}
	for _, a := range names[:16] { // surname + given name
		for _, b := range names[16:] {
			add(a + b)
			add(a + b + "123")
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	for _, s := range out {
		fmt.Println(s)
	}
}
