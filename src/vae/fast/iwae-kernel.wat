;; The IWAE decoder's elementwise passes, in WebAssembly SIMD: the source of the bytes in
;; ./iwae-kernel.ts (`npm run wasm` re-embeds them). They run on a memory of ./iwae-decoder's.
;; Addresses are in bytes, counts in float32 elements.
(module
  (import "env" "memory" (memory 1 65536 shared))

;; For each of `rows` rows of `cols` values at $h (a hidden unit's pre-activations over a
  ;; block of samples): x ← max(x, 0) in place, and kind[row] (i32) ← 0 when no value is > 0
  ;; (the unit is zero for every sample: "dead"), 2 when every value is ≥ 0 (ReLU leaves the
  ;; row as it is: "linear"), else 1 ("mixed"; also any row holding a NaN, so that it propagates).
  (func (export "reluClassify") (param $h i32) (param $rows i32) (param $cols i32) (param $kind i32)
    (local $r i32) (local $i i32) (local $end i32) (local $row i32) (local $v v128)
    (local $any v128) (local $all v128) (local $nan v128) (local $f f32)
    (local $anyS i32) (local $allS i32) (local $nanS i32)
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.add (local.get $h) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
        (local.set $any (v128.const i32x4 0 0 0 0))
        (local.set $all (v128.const i32x4 -1 -1 -1 -1))
        (local.set $nan (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (local.set $end (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
        (block $vdone
          (loop $vl
            (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $v (v128.load (i32.add (local.get $row) (local.get $i))))
            (local.set $any (v128.or (local.get $any) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
            (local.set $all (v128.and (local.get $all) (f32x4.ge (local.get $v) (v128.const f32x4 0 0 0 0))))
            (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $v) (local.get $v))))
            (v128.store (i32.add (local.get $row) (local.get $i)) (f32x4.max (local.get $v) (v128.const f32x4 0 0 0 0)))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $vl)))
        (local.set $anyS (v128.any_true (local.get $any)))
        (local.set $allS (i32x4.all_true (local.get $all)))
        (local.set $nanS (v128.any_true (local.get $nan)))
        (local.set $end (i32.shl (local.get $cols) (i32.const 2)))
        (block $sdone
          (loop $sl
            (br_if $sdone (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $f (f32.load (i32.add (local.get $row) (local.get $i))))
            (local.set $anyS (i32.or (local.get $anyS) (f32.gt (local.get $f) (f32.const 0))))
            (local.set $allS (i32.and (local.get $allS) (f32.ge (local.get $f) (f32.const 0))))
            (local.set $nanS (i32.or (local.get $nanS) (f32.ne (local.get $f) (local.get $f))))
            (f32.store (i32.add (local.get $row) (local.get $i)) (f32.max (local.get $f) (f32.const 0)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $sl)))
        (i32.store (i32.add (local.get $kind) (i32.shl (local.get $r) (i32.const 2)))
          (select (i32.const 1)
            (select (select (i32.const 2) (i32.const 1) (local.get $allS)) (i32.const 0) (local.get $anyS))
            (local.get $nanS)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop))))

  ;; Write the constants $bce4 reads, 16 bytes each, at $K (288 bytes).
  (func (export "constants") (param $K i32)
    (v128.store offset=0 (local.get $K) (v128.const f32x4 87 87 87 87)) ;; 87
    (v128.store offset=16 (local.get $K) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341)) ;; 1/ln2
    (v128.store offset=32 (local.get $K) (v128.const f32x4 8388608 8388608 8388608 8388608)) ;; 2^23
    (v128.store offset=48 (local.get $K) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)) ;; ln2 high
    (v128.store offset=64 (local.get $K) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4)) ;; ln2 low
    (v128.store offset=80 (local.get $K) (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4)) ;; exp p0
    (v128.store offset=96 (local.get $K) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)) ;; exp p1
    (v128.store offset=112 (local.get $K) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)) ;; exp p2
    (v128.store offset=128 (local.get $K) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)) ;; exp p3
    (v128.store offset=144 (local.get $K) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)) ;; exp p4
    (v128.store offset=160 (local.get $K) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)) ;; exp p5
    (v128.store offset=176 (local.get $K) (v128.const f32x4 1 1 1 1)) ;; 1
    (v128.store offset=192 (local.get $K) (v128.const f32x4 2 2 2 2)) ;; 2
    (v128.store offset=208 (local.get $K) (v128.const f32x4 0.1162068334594541 0.1162068334594541 0.1162068334594541 0.1162068334594541)) ;; log q0
    (v128.store offset=224 (local.get $K) (v128.const f32x4 0.10851376189467442 0.10851376189467442 0.10851376189467442 0.10851376189467442)) ;; log q1
    (v128.store offset=240 (local.get $K) (v128.const f32x4 0.14296314466457608 0.14296314466457608 0.14296314466457608 0.14296314466457608)) ;; log q2
    (v128.store offset=256 (local.get $K) (v128.const f32x4 0.19999849996796829 0.19999849996796829 0.19999849996796829 0.19999849996796829)) ;; log q3
    (v128.store offset=272 (local.get $K) (v128.const f32x4 0.3333333367430904 0.3333333367430904 0.3333333367430904 0.3333333367430904)) ;; log q4
  )

  ;; Four Bernoulli cross-entropy terms max(l, 0) − x·l + log(1 + e^−|l|) with l = C + B, by
  ;; the formulas of ./step-kernels.wat's bce4 without the gradient: e^−|l| by Cody–Waite and
  ;; Cephes' expf polynomial, log(1 + t) = 2·atanh(t/(2 + t)) by a degree-4 fit (4e−10).
  ;; The constants are read from memory at $K (written there by `constants`): V8 rebuilds a
  ;; v128.const at every use, three instructions each, and loads measured 15 % faster.
  (func $bce4 (param $C v128) (param $B v128) (param $X v128) (param $K i32) (result v128)
    (local $L v128) (local $a v128) (local $m v128) (local $k v128) (local $q v128) (local $p v128)
    (local $t v128) (local $s v128) (local $z v128)
    (local.set $L (f32x4.add (local.get $C) (local.get $B)))
    (local.set $a (f32x4.pmin (v128.load offset=0 (local.get $K) (; 87 ;)) (f32x4.abs (local.get $L))))
    ;; k = round(a / ln2) by adding 2²³ (the float's low bits then hold k, kept in $m);
    ;; q = −r = k·ln2 − a, ln2 = 0.693359375 − 2.12194440e−4 (k·0.693359375 exact)
    (local.set $m (f32x4.add (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $K) (; 1/ln2 ;))) (v128.load offset=32 (local.get $K) (; 2^23 ;))))
    (local.set $k (f32x4.sub (local.get $m) (v128.load offset=32 (local.get $K) (; 2^23 ;))))
    (local.set $q (f32x4.add
      (f32x4.sub (f32x4.mul (local.get $k) (v128.load offset=48 (local.get $K) (; ln2 high ;))) (local.get $a))
      (f32x4.mul (local.get $k) (v128.load offset=64 (local.get $K) (; ln2 low ;)))))
    ;; e^q ≈ 1 + q + q²·P(q)
    (local.set $p (f32x4.add (f32x4.mul (v128.load offset=80 (local.get $K) (; exp p0 ;)) (local.get $q)) (v128.load offset=96 (local.get $K) (; exp p1 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.load offset=112 (local.get $K) (; exp p2 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.load offset=128 (local.get $K) (; exp p3 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.load offset=144 (local.get $K) (; exp p4 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $q)) (v128.load offset=160 (local.get $K) (; exp p5 ;))))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $q)) (local.get $q)) (local.get $q)) (v128.load offset=176 (local.get $K) (; 1 ;))))
    ;; t = e^q · 2^−k, 2^−k from the exponent field (127 − k) << 23 (bits of $m: 0x4B000000 + k)
    (local.set $t (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.sub (v128.const i32x4 0x4B00007F 0x4B00007F 0x4B00007F 0x4B00007F) (local.get $m)) (i32.const 23))))
    ;; log(1 + t) = 2s(1 + z·Q(z)), s = t/(2 + t), z = s²
    (local.set $s (f32x4.div (local.get $t) (f32x4.add (local.get $t) (v128.load offset=192 (local.get $K) (; 2 ;)))))
    (local.set $z (f32x4.mul (local.get $s) (local.get $s)))
    (local.set $p (f32x4.add (f32x4.mul (v128.load offset=208 (local.get $K) (; log q0 ;)) (local.get $z)) (v128.load offset=224 (local.get $K) (; log q1 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.load offset=240 (local.get $K) (; log q2 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.load offset=256 (local.get $K) (; log q3 ;))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.load offset=272 (local.get $K) (; log q4 ;))))
    (local.set $s (f32x4.add (local.get $s) (local.get $s)))
    ;; max(l, 0) − x·l + 2s + 2s·z·Q (pmax gives 0 for a NaN l, but x·l keeps the NaN)
    (f32x4.add
      (f32x4.sub (f32x4.pmax (v128.const f32x4 0 0 0 0) (local.get $L)) (f32x4.mul (local.get $X) (local.get $L)))
      (f32x4.add (local.get $s) (f32x4.mul (f32x4.mul (local.get $s) (local.get $z)) (local.get $p)))))

  ;; Two float64 partial sums (lanes 0–1, lanes 2–3) plus the four lanes of b.
  (func $acc (param $acc v128) (param $b v128) (result v128)
    (f64x2.add
      (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (local.get $b)))
      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b)))))

  ;; −log p(x|z) of `rows` rows of logits C + B (C: rows × n at $c, B: n biases at $b), all
  ;; against the same pixels (n at $x): out[row] (f64) ← Σ max(l, 0) − x·l + log(1 + e^−|l|).
  ;; $K: the constants written by `constants`.
  ;; Needs n ≥ 4: the last n mod 4 terms come from one more vector ending at n, whose lanes
  ;; already counted are masked out.
  (func (export "bceRows") (param $c i32) (param $b i32) (param $x i32) (param $out i32) (param $rows i32) (param $n i32) (param $K i32)
    (local $r i32) (local $row i32) (local $i i32) (local $end i32) (local $tail i32) (local $acc v128) (local $mask v128)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $tail (i32.sub (i32.shl (local.get $n) (i32.const 2)) (i32.const 16)))
    (local.set $mask (i32x4.ge_s (v128.const i32x4 0 1 2 3)
      (i32x4.splat (i32.sub (i32.const 4) (i32.and (local.get $n) (i32.const 3))))))
    (block $rdone
      (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.add (local.get $c) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $vdone
          (loop $v
            (br_if $vdone (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $acc (call $acc (local.get $acc)
              (call $bce4 (v128.load (i32.add (local.get $row) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i)))
                (v128.load (i32.add (local.get $x) (local.get $i))) (local.get $K))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $v)))
        (if (i32.and (local.get $n) (i32.const 3))
          (then
            (local.set $acc (call $acc (local.get $acc) (v128.and (local.get $mask)
              (call $bce4 (v128.load (i32.add (local.get $row) (local.get $tail))) (v128.load (i32.add (local.get $b) (local.get $tail)))
                (v128.load (i32.add (local.get $x) (local.get $tail))) (local.get $K)))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rloop))))
)
